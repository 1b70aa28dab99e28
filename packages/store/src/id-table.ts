/**
 * An open-addressing hash table from fixed-width keys of 32-bit words (trace ids, span ids under
 * their trace) to non-negative ints (slots, rows). Entries live in one buffer, each a value word
 * followed by its key's words: no string or object per entry, which is what keeps a million ids
 * cheap to hold and invisible to the garbage collector, and a probe reads one place in memory (with
 * keys and values apart, a lookup in a table larger than the cache missed it twice).
 *
 * Ids come from the network, so a sender could pick them to collide: the hash mixes every word
 * with a per-table random seed, so colliding ids cannot be chosen in advance.
 */

const EMPTY = -1;
const DELETED = -2;
const MIN_CAPACITY = 64;

export class IdTable {
  /** The entries' words: `values` reads an entry's first word (signed), `keys` the rest. */
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  /** Words per entry: the value and the key. */
  private readonly stride: number;
  /** Live entries. */
  private live = 0;
  /** Live entries plus tombstones: probing cost grows with both. */
  private used = 0;
  private readonly seed = (Math.random() * 0x1_0000_0000) | 0;

  constructor(
    readonly width: number,
    capacity = MIN_CAPACITY,
  ) {
    this.stride = width + 1;
    let c = MIN_CAPACITY;
    while (c < capacity) c *= 2;
    [this.keys, this.values] = this.entries(c);
    this.mask = c - 1;
  }

  get size(): number {
    return this.live;
  }

  /** Bytes the table's entries hold (for memory accounting and benchmarks). */
  get byteLength(): number {
    return this.keys.byteLength;
  }

  /** The value stored for the key at `key[at..at+width)`, or -1. */
  get(key: Uint32Array, at = 0): number {
    const e = this.find(key, at);
    return e < 0 ? EMPTY : this.values[e]!;
  }

  /**
   * Stores `value` (>= 0) for the key unless it is there: returns the value stored before (the key was
   * there, nothing changed) or -1 (stored now). One probe either way.
   */
  insertIfAbsent(key: Uint32Array, at: number, value: number): number {
    if ((this.used + 1) * 2 > this.mask + 1) this.rehash(this.live + 1);
    const { width, stride, keys, values, mask } = this;
    let i = this.hash(key, at) & mask;
    let free = -1;
    for (;;) {
      const e = i * stride;
      const v = values[e]!;
      if (v === EMPTY) break;
      if (v === DELETED) {
        if (free < 0) free = e;
      } else {
        let k = 0;
        while (k < width && keys[e + 1 + k] === key[at + k]) k++;
        if (k === width) return v;
      }
      i = (i + 1) & mask;
    }
    let e = i * stride;
    if (free >= 0) e = free;
    else this.used++;
    values[e] = value;
    for (let k = 0; k < width; k++) keys[e + 1 + k] = key[at + k]!;
    this.live++;
    return -1;
  }

  /** Removes the key; false when it was not there. */
  delete(key: Uint32Array, at = 0): boolean {
    const e = this.find(key, at);
    if (e < 0) return false;
    this.values[e] = DELETED;
    this.live--;
    // A table emptied by deletions shrinks back, so a burst of traffic does not hold memory forever.
    if (this.mask + 1 > MIN_CAPACITY && this.live * 8 < this.mask + 1) this.rehash(this.live);
    return true;
  }

  /** The first word of the key's entry, or -1. */
  private find(key: Uint32Array, at: number): number {
    const { width, stride, keys, values, mask } = this;
    let i = this.hash(key, at) & mask;
    for (;;) {
      const e = i * stride;
      const v = values[e]!;
      if (v === EMPTY) return -1;
      if (v !== DELETED) {
        let k = 0;
        while (k < width && keys[e + 1 + k] === key[at + k]) k++;
        if (k === width) return e;
      }
      i = (i + 1) & mask;
    }
  }

  private hash(key: Uint32Array, at: number): number {
    let h = this.seed;
    for (let k = 0; k < this.width; k++) {
      h = Math.imul(h ^ key[at + k]!, 0x9e3779b1);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
    return h ^ (h >>> 16);
  }

  /** Empty entries for a capacity, as the two views of one buffer. */
  private entries(capacity: number): [Uint32Array, Int32Array] {
    const buffer = new ArrayBuffer(capacity * this.stride * 4);
    const values = new Int32Array(buffer);
    for (let e = 0; e < values.length; e += this.stride) values[e] = EMPTY;
    return [new Uint32Array(buffer), values];
  }

  /**
   * Rebuilds the table for `entries` live entries at most half full, dropping tombstones. The keys
   * moved are distinct, so each goes to the first empty entry on its path, with no comparing.
   */
  private rehash(entries: number): void {
    const { width, stride } = this;
    const oldKeys = this.keys;
    const oldValues = this.values;
    let c = MIN_CAPACITY;
    while (c < entries * 4) c *= 2;
    const [keys, values] = this.entries(c);
    const mask = c - 1;
    for (let from = 0; from < oldValues.length; from += stride) {
      const v = oldValues[from]!;
      if (v < 0) continue;
      let i = this.hash(oldKeys, from + 1) & mask;
      while (values[i * stride] !== EMPTY) i = (i + 1) & mask;
      const e = i * stride;
      values[e] = v;
      for (let k = 0; k < width; k++) keys[e + 1 + k] = oldKeys[from + 1 + k]!;
    }
    this.keys = keys;
    this.values = values;
    this.mask = mask;
    this.used = this.live;
  }
}
