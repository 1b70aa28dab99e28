import { BufferPool } from '../buffer-pool.js';

/*
 * The buffers the skim's row columns are carved from, reused across requests (see BufferPool): a
 * receiver made one (about 170 bytes per span) for every request. A buffer given back once the
 * rows are copied out (`releaseSkim`) is zeroed again and handed to a later skim of a similar size.
 */

/** Buffers kept for reuse at most, and the largest kept: the pool holds at most 4 MiB. */
const pool = new BufferPool(4, 1 << 20);

/** A zeroed buffer of at least `bytes`. */
export function rowBuffer(bytes: number): ArrayBuffer {
  return pool.take(bytes, true);
}

/** Gives back a buffer from `rowBuffer` whose columns nobody reads any more. */
export function giveBackRowBuffer(buffer: ArrayBufferLike): void {
  pool.give(buffer);
}
