import type { InstrumentationScope, Resource } from '@tracecheck/model';
import type { LimitCounts } from '../limits.js';

/**
 * What one validating pass over an ExportTraceServiceRequest keeps (`skimProtobufRequest`): the
 * index fields of each accepted span in columns, and the request's bytes for everything else, which
 * `decodeSpanRange` / `findSpanAttribute` decode on demand. Row i is the i-th accepted span, in
 * request order (spans rejected for their ids are not rows).
 *
 * Everything a decoder can refuse was checked in that pass: a request skimmed without an error
 * decodes, span by span, to exactly what the full decoder (`decodeProtobufRequest`) gives.
 *
 * The row columns are views of one buffer that `releaseSkim` gives back for later skims to reuse,
 * once its rows are copied out; its owner calls it, and reads no column after.
 */
export interface SkimResult {
  /** The request's bytes. Owned by the result: never a view into Node's shared buffer pool. */
  readonly bytes: Uint8Array;
  /** Accepted spans (rows). Columns may be longer; only the first `count` rows are meaningful. */
  readonly count: number;
  /**
   * Ids, 8 words per row: trace id (words 0-3), span id (4-5), parent span id (6-7; both 0 for no
   * parent, which the wire also spells as 8 zero bytes). Each word is 4 id bytes read big-endian, so
   * the hex of word 0 (8 digits, zero-padded) is the first 8 hex digits of the id.
   */
  readonly ids: Uint32Array;
  /** Span message byte ranges in `bytes`: row i is [ranges[2i], ranges[2i+1]). */
  readonly ranges: Uint32Array;
  readonly startNanos: BigUint64Array;
  readonly endNanos: BigUint64Array;
  /** SpanKind as the model normalizes it (spanKindOf). */
  readonly kind: Uint8Array;
  /** StatusCode as the model normalizes it (statusCodeOf). */
  readonly statusCode: Uint8Array;
  readonly flags: Uint32Array;
  /** Span names, decoded (names repeat; a store interns them). */
  readonly names: readonly string[];
  /** Index of the row's resource in `resources`, and of its scope in `scopes`. */
  readonly resourceIndex: Uint32Array;
  readonly scopeIndex: Uint32Array;
  /** Decoded whole at skim time: one per ResourceSpans / ScopeSpans, shared by their spans. */
  readonly resources: readonly Resource[];
  readonly scopes: readonly InstrumentationScope[];
  /**
   * The run a row is tagged with (`taggedRunId` of the decoded span: its `test.run.id` attribute when
   * a non-empty string, else its resource's); undefined for an untagged span.
   */
  readonly runTags: readonly (string | undefined)[];
  /**
   * Links usable for run inheritance: row i's links are entries linkStart[i] to linkStart[i+1]-1
   * (linkStart has count+1 entries), each 6 words of `linkIds`: trace id (4) then span id (2),
   * as in `ids`. Only links with a 16-byte trace id and an 8-byte span id are listed (no other can
   * name a stored span); links the decode limits drop are not.
   */
  readonly linkStart: Uint32Array;
  readonly linkIds: Uint32Array;
  /**
   * 1 when the row hit a decode limit (a value truncated, an attribute, event or link dropped) or
   * otherwise needs the full decoder: its attributes must be read by `decodeSpanRange`, never by a
   * key scan.
   */
  readonly complex: Uint8Array;
  /** As DecodeResult: spans rejected for their ids, the partial-success message, the limit counts. */
  readonly rejectedSpans: number;
  readonly errorMessage: string;
  readonly limited?: LimitCounts;
}
