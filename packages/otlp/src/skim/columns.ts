import type { SkimResult } from './skim-result.js';

/*
 * The typed-array columns of a SkimResult while a request is skimmed: each grows geometrically
 * (doubling) and `finish` hands out views of the filled rows (`subarray`, no copy). The store copies
 * rows into its own columns, so the slack of the last doubling lives only as long as the result.
 */

/** Rough bytes one row takes in the columns (ids, ranges, times, enums, indices, references). */
export const SKIM_ROW_BYTES = 128;

type Growable = Uint8Array | Uint32Array | BigUint64Array;

function grown<T extends Growable>(column: T, size: number): T {
  const next = new (column.constructor as new (n: number) => T)(size);
  next.set(column as never);
  return next;
}

export class Columns {
  count = 0;
  private capacity: number;
  ids: Uint32Array;
  ranges: Uint32Array;
  startNanos: BigUint64Array;
  endNanos: BigUint64Array;
  kind: Uint8Array;
  statusCode: Uint8Array;
  flags: Uint32Array;
  resourceIndex: Uint32Array;
  scopeIndex: Uint32Array;
  complex: Uint8Array;
  linkStart: Uint32Array;
  linkIds: Uint32Array;
  linkWords = 0;
  readonly names: string[] = [];
  /** A row's own run tag; `inherits` rows take their resource's once the request is read. */
  readonly runTags: (string | undefined)[] = [];
  inherits: Uint8Array;

  constructor(expectedRows: number) {
    const n = Math.max(16, expectedRows);
    this.capacity = n;
    this.ids = new Uint32Array(n * 8);
    this.ranges = new Uint32Array(n * 2);
    this.startNanos = new BigUint64Array(n);
    this.endNanos = new BigUint64Array(n);
    this.kind = new Uint8Array(n);
    this.statusCode = new Uint8Array(n);
    this.flags = new Uint32Array(n);
    this.resourceIndex = new Uint32Array(n);
    this.scopeIndex = new Uint32Array(n);
    this.complex = new Uint8Array(n);
    this.inherits = new Uint8Array(n);
    this.linkStart = new Uint32Array(n + 1);
    this.linkIds = new Uint32Array(16 * 6);
  }

  /** Index of a new row, its columns zeroed; its links are the words from `linkWords` on. */
  addRow(linkWords: number): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.linkStart[i] = linkWords / 6;
    return i;
  }

  /** Room for a link of the row being read (6 words: trace id, span id); returns where. */
  linkWordsFor(): number {
    if (this.linkWords + 6 > this.linkIds.length) this.linkIds = grown(this.linkIds, this.linkIds.length * 2);
    const at = this.linkWords;
    this.linkWords += 6;
    return at;
  }

  /**
   * The filled rows as SkimResult columns (views, no copy); a row that inherits its run tag takes its
   * resource's from `resourceTags`.
   */
  finish(resourceTags: readonly (string | undefined)[]): Omit<SkimResult, 'bytes' | 'resources' | 'scopes' | 'rejectedSpans' | 'errorMessage' | 'limited'> {
    const n = this.count;
    this.linkStart[n] = this.linkWords / 6;
    for (let i = 0; i < n; i++) if (this.inherits[i] === 1) this.runTags[i] = resourceTags[this.resourceIndex[i]!];
    return {
      count: n,
      ids: this.ids.subarray(0, n * 8),
      ranges: this.ranges.subarray(0, n * 2),
      startNanos: this.startNanos.subarray(0, n),
      endNanos: this.endNanos.subarray(0, n),
      kind: this.kind.subarray(0, n),
      statusCode: this.statusCode.subarray(0, n),
      flags: this.flags.subarray(0, n),
      names: this.names,
      resourceIndex: this.resourceIndex.subarray(0, n),
      scopeIndex: this.scopeIndex.subarray(0, n),
      runTags: this.runTags,
      linkStart: this.linkStart.subarray(0, n + 1),
      linkIds: this.linkIds.subarray(0, this.linkWords),
      complex: this.complex.subarray(0, n),
    };
  }

  private grow(): void {
    const n = this.capacity * 2;
    this.capacity = n;
    this.ids = grown(this.ids, n * 8);
    this.ranges = grown(this.ranges, n * 2);
    this.startNanos = grown(this.startNanos, n);
    this.endNanos = grown(this.endNanos, n);
    this.kind = grown(this.kind, n);
    this.statusCode = grown(this.statusCode, n);
    this.flags = grown(this.flags, n);
    this.resourceIndex = grown(this.resourceIndex, n);
    this.scopeIndex = grown(this.scopeIndex, n);
    this.complex = grown(this.complex, n);
    this.inherits = grown(this.inherits, n);
    this.linkStart = grown(this.linkStart, n + 1);
  }
}
