/**
 * An open-addressing hash table from fixed-width keys of 32-bit words (trace ids, span ids under
 * their trace) to non-negative ints (slots, rows). Keys live in one Uint32Array and values in one
 * Int32Array: no string or object per entry, which is what keeps a million ids cheap to hold and
 * invisible to the garbage collector.
 *
 * Ids come from the network, so a sender could pick them to collide: the hash mixes every word
 * with a per-table random seed, so colliding ids cannot be chosen in advance.
 */

const EMPTY = -1;
const DELETED = -2;
const MIN_CAPACITY = 64;

export class IdTable {
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  /** Live entries. */
  private live = 0;
  /** Live entries plus tombstones: probing cost grows with both. */
  private used = 0;
  private readonly seed = (Math.random() * 0x1_0000_0000) | 0;

  constructor(readonly width: number, capacity = MIN_CAPACITY) {
    let c = MIN_CAPACITY;
    while (c < capacity) c *= 2;
    this.keys = new Uint32Array(c * width);
    this.values = new Int32Array(c).fill(EMPTY);
    this.mask = c - 1;
  }

  get size(): number {
    return this.live;
  }

  /** Bytes the table's arrays hold (for memory accounting and benchmarks). */
  get byteLength(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  /** The value stored for the key at `key[at..at+width)`, or -1. */
  get(key: Uint32Array, at = 0): number {
    const i = this.find(key, at);
    return i < 0 ? EMPTY : this.values[i]!;
  }

  /** Stores `value` (>= 0) for the key, replacing what was there. */
  set(key: Uint32Array, at: number, value: number): void {
    const found = this.find(key, at);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    if ((this.used + 1) * 2 > this.values.length) this.rehash(this.live + 1);
    const { width, keys, values, mask } = this;
    let i = this.hash(key, at) & mask;
    // The first empty or deleted slot on the key's probe path takes it.
    while (values[i]! >= 0) i = (i + 1) & mask;
    if (values[i] === EMPTY) this.used++;
    values[i] = value;
    keys.set(key.subarray(at, at + width), i * width);
    this.live++;
  }

  /**
   * Stores `value` for the key unless it is there: returns the value stored before (the key was
   * there, nothing changed) or -1 (stored now). One probe either way.
   */
  insertIfAbsent(key: Uint32Array, at: number, value: number): number {
    if ((this.used + 1) * 2 > this.values.length) this.rehash(this.live + 1);
    const { width, keys, values, mask } = this;
    let i = this.hash(key, at) & mask;
    let free = -1;
    for (;;) {
      const v = values[i]!;
      if (v === EMPTY) break;
      if (v === DELETED) {
        if (free < 0) free = i;
      } else {
        let k = 0;
        const base = i * width;
        while (k < width && keys[base + k] === key[at + k]) k++;
        if (k === width) return v;
      }
      i = (i + 1) & mask;
    }
    if (free >= 0) i = free;
    else this.used++;
    values[i] = value;
    for (let k = 0; k < width; k++) keys[i * width + k] = key[at + k]!;
    this.live++;
    return -1;
  }

  /** Removes the key; false when it was not there. */
  delete(key: Uint32Array, at = 0): boolean {
    const i = this.find(key, at);
    if (i < 0) return false;
    this.values[i] = DELETED;
    this.live--;
    // A table emptied by deletions shrinks back, so a burst of traffic does not hold memory forever.
    if (this.values.length > MIN_CAPACITY && this.live * 8 < this.values.length) this.rehash(this.live);
    return true;
  }

  private find(key: Uint32Array, at: number): number {
    const { width, keys, values, mask } = this;
    let i = this.hash(key, at) & mask;
    for (;;) {
      const v = values[i]!;
      if (v === EMPTY) return -1;
      if (v !== DELETED) {
        let k = 0;
        const base = i * width;
        while (k < width && keys[base + k] === key[at + k]) k++;
        if (k === width) return i;
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

  /** Rebuilds the table for `entries` live entries at most half full, dropping tombstones. */
  private rehash(entries: number): void {
    const { width, keys, values } = this;
    let c = MIN_CAPACITY;
    while (c < entries * 4) c *= 2;
    this.keys = new Uint32Array(c * width);
    this.values = new Int32Array(c).fill(EMPTY);
    this.mask = c - 1;
    this.live = 0;
    this.used = 0;
    for (let i = 0; i < values.length; i++) if (values[i]! >= 0) this.set(keys, i * width, values[i]!);
  }
}
