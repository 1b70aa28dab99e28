import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, InstrumentationScope, Resource, Span } from '@tracecheck/model';
import { ReaderDecoder } from '../reader-decoder.js';
import type { DecodeLimits } from '../limits.js';
import { createReader, withDecodeErrors } from '../proto-reader.js';
import { ABSENT, foundAttributeValue, GIVE_UP, lastAttribute, sameBytes } from './span-walk.js';

/*
 * On-demand reading of one span of a skimmed request, by the full decoder's own code: a whole span
 * (ReaderDecoder.spanAt), or one attribute found by its key's bytes and decoded alone.
 */

/** The full decoder's reading of one span's range, plus the key scan. */
class SpanRangeDecoder extends ReaderDecoder {
  /**
   * The value of the last KeyValue among the span's attributes whose key is `key` (as `encoded`),
   * given `at`, what `lastAttribute` found for it.
   */
  attribute(start: number, end: number, key: string, encoded: Uint8Array, at: number): AnyValue | undefined {
    if (at === GIVE_UP) return withDecodeErrors(this.r, () => this.scan(start, end, key, encoded));
    if (at < 0) return undefined;
    this.narrowToSpan(start, end);
    this.r.pos = at;
    return withDecodeErrors(this.r, () => this.valueOfKeyValue());
  }

  /** The key scan through the wire reader: for spans with fields `lastAttribute` does not walk. */
  private scan(start: number, end: number, key: string, encoded: Uint8Array): AnyValue | undefined {
    this.narrowToSpan(start, end);
    const r = this.r;
    const buf = this.buf;
    let found = -1;
    while (r.pos < r.len) {
      const tag = r.tag();
      if (tag !== 0x4a) {
        this.skip(tag);
        continue;
      }
      const at = r.pos;
      const outer = this.enter();
      // The last key field of a KeyValue is its key; without one, its key is ''.
      let match = encoded.length === 0;
      while (r.pos < r.len) {
        const t = r.tag();
        if (t !== 0x0a) {
          this.skip(t);
          continue;
        }
        const from = this.lengthDelimited();
        match = r.pos - from === encoded.length && sameBytes(buf, from, encoded);
      }
      this.leave(outer);
      if (match) found = at;
    }
    if (found < 0) return undefined;
    r.pos = found;
    r.len = end;
    return this.keyValue(emptyAttributes, 1).get(key);
  }
}



/**
 * One decoder per request's bytes (and limits), reused across calls: a store asks many questions of
 * the same request, and building a reader costs more than most lookups.
 */
const decoders = new WeakMap<Uint8Array, { limits: Partial<DecodeLimits> | undefined; decoder: SpanRangeDecoder }>();

function decoderFor(bytes: Uint8Array, limits: Partial<DecodeLimits> | undefined): SpanRangeDecoder {
  const cached = decoders.get(bytes);
  if (cached !== undefined && cached.limits === limits) return cached.decoder;
  const decoder = new SpanRangeDecoder(createReader(bytes), { limits });
  decoders.set(bytes, { limits, decoder });
  return decoder;
}

/**
 * The span at bytes [start, end) of a skimmed request (a SkimResult row's range), exactly as
 * decodeProtobufRequest decodes it with the same `limits`, given the row's resource and scope.
 */
export function decodeSpanRange(
  bytes: Uint8Array,
  start: number,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
  limits?: Partial<DecodeLimits>,
): Span {
  return decoderFor(bytes, limits).spanAt(start, end, resource, scope);
}

const NO_LIMITS: Partial<DecodeLimits> = Object.freeze({
  maxAttributes: Infinity,
  maxEvents: Infinity,
  maxLinks: Infinity,
  maxArrayElements: Infinity,
  maxValueBytes: Infinity,
});

/**
 * Attribute keys encoded as UTF-8, for the scan (the same few keys are asked again and again); null
 * for a key with a lone surrogate, which UTF-8 cannot carry: decoded keys never have one.
 */
const encodedKeys = new Map<string, Uint8Array | null>();
const MAX_ENCODED_KEYS = 1024;
const LONE_SURROGATE = /\p{Cs}/u;

function encodedKey(key: string): Uint8Array | null {
  let bytes = encodedKeys.get(key);
  if (bytes === undefined) {
    if (encodedKeys.size >= MAX_ENCODED_KEYS) encodedKeys.clear();
    bytes = LONE_SURROGATE.test(key) ? null : Buffer.from(key, 'utf8');
    encodedKeys.set(key, bytes);
  }
  return bytes;
}

/**
 * The span attribute `key` of the span at bytes [start, end), decoding only its value: equal to
 * `decodeSpanRange(...).attributes.get(key)` for a row that is not `complex` (a complex row hit a
 * decode limit, which only the whole span's decoding applies).
 */
export function findSpanAttribute(bytes: Uint8Array, start: number, end: number, key: string): AnyValue | undefined {
  const encoded = encodedKey(key);
  if (encoded === null) return undefined;
  const at = lastAttribute(bytes, start, end, encoded);
  if (at === ABSENT) return undefined;
  // Most values are one string, number or bool, read where they are; the decoder reads the rest.
  // No limit is near in a row that is not complex, under the limits it was skimmed with, so none
  // applies: reading without any gives the same value whatever those limits were.
  return (at >= 0 ? foundAttributeValue(bytes) : undefined) ?? decoderFor(bytes, NO_LIMITS).attribute(start, end, key, encoded, at);
}
