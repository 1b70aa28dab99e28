import type { Span } from '@tracecheck/model';
import type { DecodeLimits } from '@tracecheck/otlp';
import type { ArenaData } from './arenas.js';
import type { Rows } from './rows.js';
import { SpanView, ViewBatch, VIEW_WORDS, W } from './view.js';

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
  const names: string[] = new Array(n);
  const traceIds: string[] = new Array(n);
  const arenas: ArenaData[] = new Array(n);
  const batch = new ViewBatch(words, names, traceIds, arenas, limits);
  const out: Span[] = new Array(n);
  const V = VIEW_WORDS;
  let lastTrace = -1;
  let traceId = '';
  for (let k = 0; k < n; k++) {
    const row = rows[k]!;
    const slot = r.trace[row]!;
    if (slot !== lastTrace) {
      traceId = traceHex(slot);
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
    names[k] = nameOf(r.name[row]!);
    traceIds[k] = traceId;
    arenas[k] = arenaOf(r.arena[row]!);
    out[k] = new SpanView(batch, k);
  }
  return out;
}
