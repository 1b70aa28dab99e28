import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table.js';

/** Key `i` of width 3: words that differ only high up, in the middle and in the last word. */
function key(i: number): Uint32Array {
  return Uint32Array.of(i, 0x8000_0000 + i * 7, 0xffff_ffff - i);
}

describe('IdTable', () => {
  it('finds what it stored through growth, and answers the first value for a key stored twice', () => {
    const table = new IdTable(3);
    for (let i = 0; i < 5000; i++) expect(table.insertIfAbsent(key(i), 0, i)).toBe(-1);
    for (let i = 0; i < 5000; i++) expect(table.insertIfAbsent(key(i), 0, i + 1)).toBe(i);
    expect(table.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(table.get(key(i))).toBe(i);
    expect(table.get(key(5000))).toBe(-1);
  });

  it('reads keys at an offset into a larger array', () => {
    const table = new IdTable(4);
    const words = Uint32Array.of(9, 1, 2, 3, 4, 9);
    expect(table.insertIfAbsent(words, 1, 7)).toBe(-1);
    expect(table.get(Uint32Array.of(1, 2, 3, 4))).toBe(7);
    expect(table.get(words, 2)).toBe(-1);
  });

  it('keeps finding keys past deleted ones, reuses their places, and shrinks when mostly emptied', () => {
    const table = new IdTable(3);
    for (let i = 0; i < 4000; i++) table.insertIfAbsent(key(i), 0, i);
    const full = table.byteLength;
    // Every fourth key goes (too few to shrink): the rest are still found though their probe paths
    // cross tombstones.
    for (let i = 0; i < 4000; i += 4) expect(table.delete(key(i))).toBe(true);
    expect(table.delete(key(0))).toBe(false);
    for (let i = 0; i < 4000; i++) expect(table.get(key(i))).toBe(i % 4 === 0 ? -1 : i);
    // Stored again, with new values, each in a place a deleted key left: the table does not grow.
    for (let i = 0; i < 4000; i += 4) expect(table.insertIfAbsent(key(i), 0, i + 10_000)).toBe(-1);
    expect(table.size).toBe(4000);
    expect(table.byteLength).toBe(full);
    for (let i = 0; i < 4000; i++) expect(table.get(key(i))).toBe(i % 4 === 0 ? i + 10_000 : i);
    for (let i = 0; i < 4000; i++) table.delete(key(i));
    expect(table.size).toBe(0);
    expect(table.byteLength).toBeLessThan(full / 8);
    for (let i = 0; i < 100; i++) expect(table.insertIfAbsent(key(i), 0, i)).toBe(-1);
    for (let i = 0; i < 100; i++) expect(table.get(key(i))).toBe(i);
  });

  it('holds values up to the largest int', () => {
    const table = new IdTable(3);
    table.insertIfAbsent(key(1), 0, 0x7fff_ffff);
    table.insertIfAbsent(key(2), 0, 0);
    expect(table.get(key(1))).toBe(0x7fff_ffff);
    expect(table.get(key(2))).toBe(0);
  });
});
