import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('hands a given-back buffer to a later take of a similar size, zeroed when asked', () => {
    const pool = new BufferPool(2, 1024);
    const a = pool.take(100, false);
    new Uint8Array(a).fill(7);
    pool.give(a);
    expect(pool.take(60, false)).toBe(a);
    pool.give(a);
    const again = pool.take(100, true);
    expect(again).toBe(a);
    expect(new Uint8Array(again).every((b) => b === 0)).toBe(true);
  });

  it('makes a new buffer of the size asked when none idle fits (at least the size, at most twice it)', () => {
    const pool = new BufferPool(2, 1024);
    const a = pool.take(100, false);
    pool.give(a);
    expect(pool.take(101, false)).not.toBe(a);
    const b = pool.take(40, false);
    expect(b).not.toBe(a);
    expect(b.byteLength).toBe(40);
  });

  it('ignores a buffer given twice, one it did not make, and one over its size limit', () => {
    const pool = new BufferPool(4, 1024);
    const a = pool.take(100, false);
    pool.give(a);
    pool.give(a);
    pool.give(new ArrayBuffer(100));
    const big = pool.take(2048, false);
    pool.give(big);
    expect(pool.idleBytes).toBe(100);
    expect(pool.take(100, false)).toBe(a);
    expect(pool.take(100, false)).not.toBe(a);
  });

  it('keeps at most maxIdle buffers, dropping the oldest', () => {
    const pool = new BufferPool(2, 1024);
    const [a, b, c] = [pool.take(100, false), pool.take(100, false), pool.take(100, false)];
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.idleBytes).toBe(200);
    const taken = [pool.take(100, false), pool.take(100, false)];
    expect(taken).toContain(b);
    expect(taken).toContain(c);
    expect(taken).not.toContain(a);
  });
});
