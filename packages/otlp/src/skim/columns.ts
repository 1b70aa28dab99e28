import { giveBackRowBuffer, rowBuffer } from './row-buffers.js';
import type { SkimResult } from './skim-result.js';

/*
 * The typed-array columns of a SkimResult while a request is skimmed. All row columns are carved out
 * of one ArrayBuffer (one per request, not one per column, and a reused one: row-buffers.ts), sized
 * from the request's bytes so it rarely grows; when it does, all double together. `finish` hands out
 * views of the filled rows (`subarray`, no copy). The store copies rows into its own columns, so the
 * slack lives only as long as the result. Link ids, whose count is not tied to rows, have a buffer of
 * their own.
 */

/** Rough bytes one row takes in the columns (ids, ranges, times, enums, indices, references). */
export const SKIM_ROW_BYTES = 128;

/** Bytes of one row across the row columns (see `carve`), and the one extra linkStart entry. */
const BYTES_PER_ROW = 8 + 8 + 32 + 8 + 4 + 4 + 4 + 4 + 1 + 1 + 1 + 1;
const EXTRA_BYTES = 4;

/**
 * Where the low and high 32 bits of a BigUint64Array element sit in a Uint32Array over the same
 * bytes (the platform's byte order): times are stored as two words, with no BigInt made.
 */
const LOW_WORD = new Uint8Array(new BigUint64Array([1n]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

interface RowColumns {
  readonly startNanos: BigUint64Array;
  readonly endNanos: BigUint64Array;
  readonly ids: Uint32Array;
  readonly ranges: Uint32Array;
  readonly flags: Uint32Array;
  readonly resourceIndex: Uint32Array;
  readonly scopeIndex: Uint32Array;
  readonly linkStart: Uint32Array;
  readonly kind: Uint8Array;
  readonly statusCode: Uint8Array;
  readonly complex: Uint8Array;
  readonly inherits: Uint8Array;
}

/**
 * Columns for at least `rows` rows in one buffer: 64-bit columns first, then 32-bit, then bytes
 * (aligned). `n` is how many rows it has room for (a reused buffer may be larger).
 */
function carve(rows: number): { c: RowColumns; n: number } {
  const buffer = rowBuffer(rows * BYTES_PER_ROW + EXTRA_BYTES);
  const n = Math.floor((buffer.byteLength - EXTRA_BYTES) / BYTES_PER_ROW);
  let at = 0;
  const u64 = (length: number): BigUint64Array => {
    const column = new BigUint64Array(buffer, at, length);
    at += 8 * length;
    return column;
  };
  const u32 = (length: number): Uint32Array => {
    const column = new Uint32Array(buffer, at, length);
    at += 4 * length;
    return column;
  };
  const u8 = (length: number): Uint8Array => {
    const column = new Uint8Array(buffer, at, length);
    at += length;
    return column;
  };
  const c = {
    startNanos: u64(n),
    endNanos: u64(n),
    ids: u32(8 * n),
    ranges: u32(2 * n),
    flags: u32(n),
    resourceIndex: u32(n),
    scopeIndex: u32(n),
    linkStart: u32(n + 1),
    kind: u8(n),
    statusCode: u8(n),
    complex: u8(n),
    inherits: u8(n),
  };
  return { c, n };
}

export class Columns {
  count = 0;
  private capacity: number;
  private c: RowColumns;
  /** The time columns (startNanos, then endNanos) as 32-bit words. */
  private words: Uint32Array;
  linkIds = new Uint32Array(16 * 6);
  /** Links listed so far, each 6 words of linkIds. */
  links = 0;
  readonly names: string[] = [];
  /** A row's own run tag; `inherits` rows take their resource's once the request is read. */
  readonly runTags: (string | undefined)[] = [];

  constructor(expectedRows: number) {
    const { c, n } = carve(Math.max(16, expectedRows));
    this.c = c;
    this.capacity = n;
    this.words = timeWords(this.c, this.capacity);
  }

  /** The row columns (replaced when they grow: read them after `addRow`). */
  get rows(): RowColumns {
    return this.c;
  }

  /**
   * A new row (its other columns zero) for the span at bytes [start, end). Its links are the ones
   * listed since the row before (a rejected span's are taken back), so they end at `links`.
   */
  addRow(start: number, end: number, resourceIndex: number, scopeIndex: number): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    const c = this.c;
    c.ranges[2 * i] = start;
    c.ranges[2 * i + 1] = end;
    c.resourceIndex[i] = resourceIndex;
    c.scopeIndex[i] = scopeIndex;
    c.linkStart[i + 1] = this.links;
    return i;
  }

  /** Sets the row's start and end times from the fixed64s at `startAt` / `endAt` of `view` (-1: absent). */
  setTimes(row: number, view: DataView, startAt: number, endAt: number): void {
    const words = this.words;
    if (startAt >= 0) {
      words[2 * row + LOW_WORD] = view.getUint32(startAt, true);
      words[2 * row + HIGH_WORD] = view.getUint32(startAt + 4, true);
    }
    if (endAt >= 0) {
      const at = 2 * (this.capacity + row);
      words[at + LOW_WORD] = view.getUint32(endAt, true);
      words[at + HIGH_WORD] = view.getUint32(endAt + 4, true);
    }
  }

  /** Room for a link of the row being read (6 words: trace id, span id); returns where. */
  linkWordsFor(): number {
    const at = 6 * this.links++;
    if (at + 6 > this.linkIds.length) {
      const next = new Uint32Array(this.linkIds.length * 2);
      next.set(this.linkIds);
      this.linkIds = next;
    }
    return at;
  }

  /**
   * The filled rows as SkimResult columns (views, no copy); a row that inherits its run tag takes its
   * resource's from `resourceTags`.
   */
  finish(resourceTags: readonly (string | undefined)[]): Omit<SkimResult, 'bytes' | 'resources' | 'scopes' | 'rejectedSpans' | 'errorMessage' | 'limited'> {
    const n = this.count;
    const c = this.c;
    for (let i = 0; i < n; i++) if (c.inherits[i] === 1) this.runTags[i] = resourceTags[c.resourceIndex[i]!];
    return {
      count: n,
      ids: c.ids.subarray(0, n * 8),
      ranges: c.ranges.subarray(0, n * 2),
      startNanos: c.startNanos.subarray(0, n),
      endNanos: c.endNanos.subarray(0, n),
      kind: c.kind.subarray(0, n),
      statusCode: c.statusCode.subarray(0, n),
      flags: c.flags.subarray(0, n),
      names: this.names,
      resourceIndex: c.resourceIndex.subarray(0, n),
      scopeIndex: c.scopeIndex.subarray(0, n),
      runTags: this.runTags,
      linkStart: c.linkStart.subarray(0, n + 1),
      linkIds: this.linkIds.subarray(0, 6 * this.links),
      complex: c.complex.subarray(0, n),
    };
  }

  private grow(): void {
    const old = this.c;
    const { c, n } = carve(this.capacity * 2);
    for (const key of Object.keys(c) as (keyof RowColumns)[]) (c[key] as Uint8Array).set(old[key] as Uint8Array);
    giveBackRowBuffer(old.ids.buffer);
    this.c = c;
    this.capacity = n;
    this.words = timeWords(c, this.capacity);
  }
}

/**
 * Gives a skim's row columns back for later skims to reuse: call it once the rows are copied out
 * (the store's addSkim) and nothing reads the result's columns any more; they read as zeros or as
 * another request's rows after. The bytes, names, resources and scopes are not affected.
 */
export function releaseSkim(skim: SkimResult): void {
  giveBackRowBuffer(skim.ids.buffer);
}

function timeWords(c: RowColumns, capacity: number): Uint32Array {
  return new Uint32Array(c.startNanos.buffer, 0, 4 * capacity);
}
