/*
 * The buffers the skim's row columns are carved from, reused across requests. A fresh ArrayBuffer
 * is zeroed memory the process has never touched: in a receiver whose store keeps growing, each of
 * its pages is a page fault on first write, and a receiver made one such buffer (about 170 bytes
 * per span) for every request. A buffer given back once the rows are copied out (`releaseSkim`)
 * is zeroed again and handed to a later skim of a similar size instead.
 *
 * Only buffers handed out here and not given back yet can be given back, once: giving back a
 * result's columns twice, or columns made elsewhere, does nothing.
 */

/** Buffers kept for reuse at most, and the largest kept: the pool holds at most 4 MiB. */
const MAX_POOLED = 4;
const MAX_POOLED_BYTES = 1 << 20;

const pool: ArrayBuffer[] = [];
const handedOut = new WeakSet<ArrayBufferLike>();

/**
 * A zeroed buffer of at least `bytes`: a pooled one of at most twice that size when there is one,
 * else a new one of exactly `bytes`.
 */
export function rowBuffer(bytes: number): ArrayBuffer {
  let buffer: ArrayBuffer | undefined;
  for (let i = 0; i < pool.length; i++) {
    const b = pool[i]!;
    if (b.byteLength >= bytes && b.byteLength <= 2 * bytes) {
      pool[i] = pool[pool.length - 1]!;
      pool.pop();
      new Uint8Array(b).fill(0);
      buffer = b;
      break;
    }
  }
  buffer ??= new ArrayBuffer(bytes);
  handedOut.add(buffer);
  return buffer;
}

/** Gives back a buffer from `rowBuffer` whose columns nobody reads any more. */
export function giveBackRowBuffer(buffer: ArrayBufferLike): void {
  if (!handedOut.delete(buffer) || !(buffer instanceof ArrayBuffer) || buffer.byteLength > MAX_POOLED_BYTES) return;
  // The oldest goes first: the sizes of recent requests are the likeliest to come again.
  if (pool.length === MAX_POOLED) pool.shift();
  pool.push(buffer);
}
