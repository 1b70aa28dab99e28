export { main } from './main.js';
export { parseDuration, parsePort, parseSize } from './units.js';
export { UsageError } from './usage-error.js';
