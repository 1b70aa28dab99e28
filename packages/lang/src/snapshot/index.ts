/** Effect snapshots: what a workflow did to the outside world, as deterministic text, and its diff. */
export { effectSnapshot, SNAPSHOT_HEADER } from './snapshot.js';
export type { SnapshotOptions } from './snapshot.js';
export { diffSnapshots, parseSnapshot, SnapshotFormatError } from './diff.js';
export type { ParsedSnapshot } from './diff.js';
export { findEffects, normalizePath } from './effects.js';
export type { EffectInstance } from './effects.js';
