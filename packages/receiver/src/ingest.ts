import { StoreFullError } from '@tracecheck/model';
import {
  type DecodeBudget,
  type LimitCounts,
  OtlpBudgetError,
  OtlpDecodeError,
  releaseSkim,
  type SkimResult,
  skimProtobufRequestSliced,
  type SlicedDecodeOptions,
  transcodeJsonRequestSliced,
} from '@tracecheck/otlp';
import type { ReceiverStore } from '@tracecheck/store';

/**
 * What became of one export request, whichever transport carried it. The HTTP and gRPC servers
 * each map it to their own status codes, so both answer the same situation the same way.
 */
export type ExportOutcome =
  /** Stored; `rejectedSpans` > 0 makes it an OTLP partial success (so does a non-empty message alone: a warning). */
  | { readonly kind: 'accepted'; readonly rejectedSpans: number; readonly errorMessage: string }
  /** Not a well-formed request: nothing stored (400 / INVALID_ARGUMENT). */
  | { readonly kind: 'invalid'; readonly message: string }
  /** The store is at its memory cap: nothing stored, retry later (429 / RESOURCE_EXHAUSTED). */
  | { readonly kind: 'full'; readonly message: string }
  /** The request alone is larger than the store's whole cap: retrying cannot help (413). */
  | { readonly kind: 'too-large'; readonly message: string };

/** What a receiver counts of its export requests (`GET /api/stats`). */
export interface IngestStats {
  /** Requests by outcome. */
  readonly requests: { accepted: number; partial: number; invalid: number; full: number; tooLarge: number };
  /** Spans stored, and spans rejected for unusable ids (partial success). */
  readonly spans: { accepted: number; rejected: number };
  /** What the decode limits dropped or truncated, summed over requests. */
  readonly limited: LimitCounts;
  /** The receiver's event-loop delay histogram (ns), when it runs one: the longest stall is its max. */
  eventLoop?: { readonly max: number; readonly count: number };
}

export function newIngestStats(): IngestStats {
  return {
    requests: { accepted: 0, partial: 0, invalid: 0, full: 0, tooLarge: 0 },
    spans: { accepted: 0, rejected: 0 },
    limited: { truncatedValues: 0, droppedAttributes: 0, droppedEvents: 0, droppedLinks: 0 },
  };
}

/**
 * Memory that requests being decoded hold, drawn from the store's free capacity: a decode takes its
 * estimated bytes as it builds them and stops when the store (with what it has reserved and what
 * other decodes hold) could not take more. So decoding never holds more than the store could
 * accept, whatever arrives at once.
 */
export class DecodeMemory {
  private held = 0;

  constructor(private readonly store: ReceiverStore) {}

  /** A budget for one decode; `release()` gives back what it took. */
  budget(): DecodeBudget & { readonly taken: number; release(): void } {
    let taken = 0;
    return {
      take: (n: number): boolean => {
        if (this.store.usedBytes + this.store.reservedByteCount + this.held + n > this.store.maxBytes) return false;
        this.held += n;
        taken += n;
        return true;
      },
      get taken() {
        return taken;
      },
      release: () => {
        this.held -= taken;
        taken = 0;
      },
    };
  }
}

/** Spans added per part of a large batch; between parts the event loop runs other work. */
export const ADD_CHUNK_SPANS = 2000;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Stores a skimmed request all or nothing. One of at most ADD_CHUNK_SPANS spans is added at once; a
 * larger one first reserves its estimated size (so the all-or-nothing answer is given before
 * anything is stored), then is added in parts with a pause between them.
 */
async function addAll(store: ReceiverStore, skim: SkimResult): Promise<void> {
  if (skim.count <= ADD_CHUNK_SPANS) {
    store.addSkim(skim);
    return;
  }
  const reservation = store.reserve(store.estimate(skim));
  try {
    for (let i = 0; i < skim.count; i += ADD_CHUNK_SPANS) {
      if (i > 0) await immediate();
      store.addSkim(skim, reservation, i, Math.min(skim.count, i + ADD_CHUNK_SPANS));
    }
  } finally {
    reservation.release();
  }
}

/**
 * Skims a request within the decode memory and stores its spans, all or nothing: the skim throws
 * before anything is stored, and the store's add is atomic (reserved first when in parts). Any
 * other error is a bug, not bad input, and propagates.
 */
export async function ingest(
  store: ReceiverStore,
  memory: DecodeMemory,
  stats: IngestStats,
  skim: (budget: DecodeBudget) => SkimResult | Promise<SkimResult>,
  countFull = true,
): Promise<ExportOutcome> {
  const outcome = await ingestOnce(store, memory, skim);
  const r = stats.requests;
  if (outcome.kind === 'invalid') r.invalid++;
  else if (outcome.kind === 'full' && countFull) r.full++;
  else if (outcome.kind === 'too-large') r.tooLarge++;
  return outcome;

  async function ingestOnce(store: ReceiverStore, memory: DecodeMemory, skim: (budget: DecodeBudget) => SkimResult | Promise<SkimResult>): Promise<ExportOutcome> {
    const budget = memory.budget();
    let decoded: SkimResult;
    try {
      decoded = await skim(budget);
    } catch (err) {
      if (err instanceof OtlpDecodeError) return { kind: 'invalid', message: err.message };
      if (err instanceof OtlpBudgetError) {
        if (err.neededBytes > store.maxBytes) return tooLarge(err.neededBytes, store.maxBytes);
        return { kind: 'full', message: `span store is full: the request needs more than the ${store.maxBytes - store.usedBytes} bytes free of ${store.maxBytes}; retry later` };
      }
      throw err;
    } finally {
      budget.release();
    }
    try {
      await addAll(store, decoded);
    } catch (err) {
      if (!(err instanceof StoreFullError)) throw err;
      if (err.neededBytes > err.maxBytes) return tooLarge(err.neededBytes, err.maxBytes);
      return { kind: 'full', message: err.message };
    } finally {
      // The rows are copied into the store (or refused): the next request's skim reuses the columns.
      releaseSkim(decoded);
    }
    if (decoded.rejectedSpans > 0 || decoded.errorMessage !== '') stats.requests.partial++;
    else stats.requests.accepted++;
    stats.spans.accepted += decoded.count;
    stats.spans.rejected += decoded.rejectedSpans;
    if (decoded.limited !== undefined) {
      for (const k of Object.keys(stats.limited) as (keyof LimitCounts)[]) stats.limited[k] += decoded.limited[k];
    }
    return { kind: 'accepted', rejectedSpans: decoded.rejectedSpans, errorMessage: decoded.errorMessage };
  }
}

function tooLarge(needed: number, max: number): ExportOutcome {
  return {
    kind: 'too-large',
    message: `the request's spans need ${needed}${needed > max ? '' : '+'} bytes, more than the store's whole cap (${max}); send smaller batches`,
  };
}

/**
 * An OTLP/JSON request skimmed: transcoded to protobuf first (its text is about 2.6 times larger to
 * keep), with the transcode's rejections and limits, then skimmed like any protobuf request. The
 * budget is charged by the transcode, which holds the parsed request.
 */
export async function skimJsonSliced(body: Uint8Array, options: SlicedDecodeOptions): Promise<SkimResult> {
  const json = await transcodeJsonRequestSliced(body, options);
  const skim = await skimProtobufRequestSliced(json.bytes, { ...options, budget: undefined });
  const limited = json.limited ?? skim.limited;
  return {
    ...skim,
    rejectedSpans: json.rejectedSpans + skim.rejectedSpans,
    errorMessage: [json.errorMessage, skim.errorMessage].filter((m) => m !== '').join('; '),
    ...(limited === undefined ? {} : { limited }),
  };
}
