import { type DecodeLimits, decodeSpanRange, encodeProtobufRequest, releaseSkim, type SkimResult, skimProtobufRequest } from '@tracecheck/otlp';

/**
 * A span that hit a decode limit can hold, as read, far less than its bytes: an attribute of 15
 * million ints is dropped, yet its 60 MB are in the request. Kept as sent, those bytes would hold
 * that much of the cap until the run is deleted. A request of one such span is therefore stored
 * re-encoded from what the full decoder read of it (limits applied), when it is at least
 * `REENCODE_MIN_BYTES` and its re-encoding at most half of that; the view reads the same span.
 * Only a request of one span: with others beside it, the request's bytes are kept for those anyway.
 */
export const REENCODE_MIN_BYTES = 64 * 1024;

/** The skim of span `i` re-encoded, when it is worth storing so (see above); undefined otherwise. */
export function reencoded(skim: SkimResult, i: number, limits: Partial<DecodeLimits>): SkimResult | undefined {
  if (skim.count !== 1 || skim.complex[i] !== 1) return undefined;
  const start = skim.ranges[2 * i]!;
  const end = skim.ranges[2 * i + 1]!;
  if (end - start < REENCODE_MIN_BYTES) return undefined;
  const span = decodeSpanRange(skim.bytes, start, end, skim.resources[skim.resourceIndex[i]!]!, skim.scopes[skim.scopeIndex[i]!]!, limits);
  const own = skimProtobufRequest(encodeProtobufRequest([span]), { limits });
  if (own.count === 1 && own.bytes.byteLength * 2 <= end - start) return own;
  releaseSkim(own);
  return undefined;
}
