/**
 * One row per stored span, as typed-array columns: what the store indexes and what a view needs
 * without decoding. Everything else of the span stays in its request's bytes (its arena).
 *
 * Rows of removed spans are reused (a free list), so a long-lived receiver that stores and deletes
 * runs all day holds columns for the spans it has now, not for every span it ever had. Arrival
 * order is therefore kept in `seq`, not in row numbers.
 *
 * A trace's rows are a list linked through `next`, and so are the free rows: no array per trace
 * for the garbage collector to trace and grow, and appending a row or reusing one costs two stores.
 */
export class Rows {
  capacity = 0;
  /** Trace slot of the row's trace. */
  trace = new Int32Array(0);
  /** 4 words per row: span id (2), parent span id (2; 0, 0 for none). */
  ids = new Uint32Array(0);
  /** Interned span name. */
  name = new Int32Array(0);
  /** Interned run id the span is tagged with; -1 for an untagged span. */
  tag = new Int32Array(0);
  kind = new Uint8Array(0);
  status = new Uint8Array(0);
  /** 1 when the span hit a decode limit: a view decodes it whole, never by key scan. */
  complex = new Uint8Array(0);
  flags = new Uint32Array(0);
  start = new BigUint64Array(0);
  end = new BigUint64Array(0);
  /** The time columns as 32-bit words (2 per row), for copying them without making BigInts. */
  startWords = new Uint32Array(0);
  endWords = new Uint32Array(0);
  /** Arena slot holding the span's bytes, and the Span message's range in them (2 per row). */
  arena = new Int32Array(0);
  range = new Uint32Array(0);
  /** The span's resource and scope: indexes into its arena's lists. */
  resource = new Int32Array(0);
  scope = new Int32Array(0);
  /** Arrival order, unique per stored span. */
  seq = new Float64Array(0);
  /** The next row of the same trace in arrival order (of a free row: the next free one); -1 at the end. */
  next = new Int32Array(0);

  /** The free row to reuse first (the last freed), or -1. */
  private freeHead = -1;
  private freeCount = 0;
  private used = 0;

  /** One past the highest row ever used: rows below it are in use or free. */
  get extent(): number {
    return this.used;
  }

  /** Rows in use. */
  get count(): number {
    return this.used - this.freeCount;
  }

  /** Bytes the columns hold. */
  get byteLength(): number {
    return this.capacity * Rows.BYTES_PER_ROW;
  }

  /** Column bytes per row (the store charges a row this, plus its share of the id tables). */
  static readonly BYTES_PER_ROW = 4 + 16 + 4 + 4 + 3 + 4 + 16 + 4 + 8 + 8 + 8 + 4;

  /** A row for a new span: a freed one, else the next, growing the columns when full. */
  allocate(): number {
    const reused = this.freeHead;
    if (reused >= 0) {
      this.freeHead = this.next[reused]!;
      this.freeCount--;
      return reused;
    }
    if (this.used === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    return this.used++;
  }

  /** Frees a row: it must be off its trace's list, whose link through `next` it loses. */
  release(row: number): void {
    this.arena[row] = -1;
    this.next[row] = this.freeHead;
    this.freeHead = row;
    this.freeCount++;
  }

  private grow(capacity: number): void {
    const grown = <T extends { length: number; set(a: ArrayLike<number | bigint>): void }>(old: T, make: new (n: number) => T, per = 1): T => {
      const a = new make(capacity * per);
      a.set(old as unknown as ArrayLike<number>);
      return a;
    };
    this.trace = grown(this.trace, Int32Array);
    this.ids = grown(this.ids, Uint32Array, 4);
    this.name = grown(this.name, Int32Array);
    this.tag = grown(this.tag, Int32Array);
    this.kind = grown(this.kind, Uint8Array);
    this.status = grown(this.status, Uint8Array);
    this.complex = grown(this.complex, Uint8Array);
    this.flags = grown(this.flags, Uint32Array);
    this.start = grown(this.start, BigUint64Array);
    this.end = grown(this.end, BigUint64Array);
    this.arena = grown(this.arena, Int32Array);
    this.range = grown(this.range, Uint32Array, 2);
    this.resource = grown(this.resource, Int32Array);
    this.scope = grown(this.scope, Int32Array);
    this.seq = grown(this.seq, Float64Array);
    this.next = grown(this.next, Int32Array);
    this.startWords = new Uint32Array(this.start.buffer);
    this.endWords = new Uint32Array(this.end.buffer);
    this.capacity = capacity;
  }
}

/**
 * Bytes a stored span is charged besides its bytes in the arena: its columns (twice over, for the
 * room a doubling column keeps free) and its entry in the span id table.
 */
export const ROW_BYTES = 2 * Rows.BYTES_PER_ROW + 64;
