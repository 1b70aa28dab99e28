import { type SpanStore, StoreFullError } from '@tracecheck/model';
import { type DecodeResult, OtlpDecodeError } from '@tracecheck/otlp';

/**
 * What became of one export request, whichever transport carried it. The HTTP and gRPC servers
 * each map it to their own status codes, so both answer the same situation the same way.
 */
export type ExportOutcome =
  /** Stored; `rejectedSpans` > 0 makes it an OTLP partial success. */
  | { readonly kind: 'accepted'; readonly rejectedSpans: number; readonly errorMessage: string }
  /** Not a well-formed request: nothing stored (400 / INVALID_ARGUMENT). */
  | { readonly kind: 'invalid'; readonly message: string }
  /** The store is at its memory cap: nothing stored, retry later (429 / RESOURCE_EXHAUSTED). */
  | { readonly kind: 'full'; readonly message: string }
  /** The request alone is larger than the store's whole cap: retrying cannot help (413). */
  | { readonly kind: 'too-large'; readonly message: string };

/**
 * Decodes a request and stores its spans, all or nothing: the decoder throws before anything is
 * stored, and `store.add` is atomic. Any other error is a bug, not bad input, and propagates.
 */
export function ingest(store: SpanStore, decode: () => DecodeResult): ExportOutcome {
  let decoded: DecodeResult;
  try {
    decoded = decode();
  } catch (err) {
    if (err instanceof OtlpDecodeError) return { kind: 'invalid', message: err.message };
    throw err;
  }
  try {
    store.add(decoded.spans);
  } catch (err) {
    if (!(err instanceof StoreFullError)) throw err;
    if (err.neededBytes > err.maxBytes) {
      return {
        kind: 'too-large',
        message: `the request's spans need ${err.neededBytes} bytes, more than the store's whole cap (${err.maxBytes}); send smaller batches`,
      };
    }
    return { kind: 'full', message: err.message };
  }
  return { kind: 'accepted', rejectedSpans: decoded.rejectedSpans, errorMessage: decoded.errorMessage };
}
