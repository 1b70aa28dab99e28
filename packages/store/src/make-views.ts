import type { Span } from '@tracecheck/model';
import type { DecodeLimits } from '@tracecheck/otlp';
import type { ArenaData } from './arenas.js';
import type { Rows } from './rows.js';
import { SpanView, ViewBatch, VIEW_WORDS, W } from './view.js';

/** Numbers (a name's interned id, an arena's slot) below this are placed through a table's array. */
const SMALL = 32_768;

/**
 * A batch's table of distinct values, each put in once, by a number naming it. Where a small number
 * was put (plus one; 0 for not yet) is kept in `placed`, shared by every batch the table's kind
 * makes and cleared after each; larger numbers go through a map.
 */
class Table<T> {
  readonly values: T[] = [];
  private readonly large = new Map<number, number>();
  private readonly keys: number[] = [];

  constructor(private readonly placed: Int32Array) {}

  /** The value's index in the table, putting it in first when new. */
  index(key: number, make: (key: number) => T): number {
    if (key < SMALL) {
      const at = this.placed[key]!;
      if (at > 0) return at - 1;
      this.placed[key] = this.values.push(make(key));
      this.keys.push(key);
      return this.values.length - 1;
    }
    let at = this.large.get(key);
    if (at === undefined) this.large.set(key, (at = this.values.push(make(key)) - 1));
    return at;
  }

  /** Forgets the placings, for the next batch. */
  clear(): void {
    for (const k of this.keys) this.placed[k] = 0;
  }
}

const namesPlaced = new Int32Array(SMALL);
const arenasPlaced = new Int32Array(SMALL);

/**
 * Views of `rows`, in the order given, in one batch: what the columns hold of each row is copied
 * into the batch's words, so the views do not depend on the rows staying as they are.
 */
export function makeViews(
  rows: readonly number[],
  r: Rows,
  traceHex: (slot: number) => string,
  nameOf: (id: number) => string,
  arenaOf: (slot: number) => ArenaData,
  limits: Partial<DecodeLimits>,
): Span[] {
  const n = rows.length;
  const words = new Int32Array(n * W);
  const names = new Table<string>(namesPlaced);
  const arenas = new Table<ArenaData>(arenasPlaced);
  const traceIds: string[] = [];
  const batch = new ViewBatch(words, names.values, traceIds, arenas.values, limits);
  const out: Span[] = new Array(n);
  const V = VIEW_WORDS;
  let lastTrace = -1;
  try {
    for (let k = 0; k < n; k++) {
      const row = rows[k]!;
      const slot = r.trace[row]!;
      if (slot !== lastTrace) {
        traceIds.push(traceHex(slot));
        lastTrace = slot;
      }
      const w = k * W;
      words[w + V.ROW] = row;
      words[w + V.SLOT] = slot;
      words[w + V.SPAN_HI] = r.ids[row * 4]!;
      words[w + V.SPAN_LO] = r.ids[row * 4 + 1]!;
      words[w + V.PARENT_HI] = r.ids[row * 4 + 2]!;
      words[w + V.PARENT_LO] = r.ids[row * 4 + 3]!;
      // The time columns' words are little-endian: a time's high word is its second.
      words[w + V.START_HI] = r.startWords[2 * row + 1]!;
      words[w + V.START_LO] = r.startWords[2 * row]!;
      words[w + V.END_HI] = r.endWords[2 * row + 1]!;
      words[w + V.END_LO] = r.endWords[2 * row]!;
      words[w + V.RANGE_START] = r.range[2 * row]!;
      words[w + V.RANGE_END] = r.range[2 * row + 1]!;
      words[w + V.ENUMS] = r.kind[row]! | (r.status[row]! << 8) | (r.complex[row]! << 16);
      words[w + V.FLAGS] = r.flags[row]!;
      words[w + V.RESOURCE] = r.resource[row]!;
      words[w + V.SCOPE] = r.scope[row]!;
      words[w + V.NAME] = names.index(r.name[row]!, nameOf);
      words[w + V.TRACE] = traceIds.length - 1;
      words[w + V.ARENA] = arenas.index(r.arena[row]!, arenaOf);
      out[k] = new SpanView(batch, k);
    }
  } finally {
    names.clear();
    arenas.clear();
  }
  return out;
}
