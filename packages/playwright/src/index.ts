export { test, OverturnedCheckError } from './fixtures.js';
export type { TracecheckFixtures, TracecheckOptionFixtures } from './fixtures.js';
export { expect } from './matcher.js';
export { propagateRun } from './run.js';
export type { ToHoldOptions, TracecheckOptions } from './options.js';
export { tracecheckReceiver } from './receiver.js';
export type { TracecheckReceiver, TracecheckReceiverOptions } from './receiver.js';
export { RUN_ANNOTATION } from './evidence.js';
export type { TestRun } from '@tracecheck/client';
