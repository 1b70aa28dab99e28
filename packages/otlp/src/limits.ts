/*
 * What one request may decode into. Byte limits (the receiver's maxBodyBytes, maxDecompressedBytes)
 * do not bound object counts: 60 MB of protobuf can hold an array of 15 million ints, a
 * 30-fold expansion in JavaScript objects. These limits are applied while decoding, so what is over
 * them is never built. They follow OpenTelemetry's own attribute limits (the SDKs' span limits):
 * what is over a count is dropped and counted in the owner's dropped*Count, a string over the size
 * limit is truncated, and the request's partial success says what happened.
 */

/** Per-request decoding limits; every one has a default (DEFAULT_DECODE_LIMITS). */
export interface DecodeLimits {
  /**
   * Attributes of one span, event, link, resource or scope. Past it, further attributes are dropped
   * and counted in `droppedAttributesCount` (OpenTelemetry: AttributeCountLimit, 128 in the SDKs).
   */
  readonly maxAttributes: number;
  /** Events of one span; past it, events are dropped and counted in `droppedEventsCount`. */
  readonly maxEvents: number;
  /** Links of one span; past it, links are dropped and counted in `droppedLinksCount`. */
  readonly maxLinks: number;
  /**
   * Elements of one array value, or entries of one kvlist value. An attribute whose value has more
   * is dropped whole (counted in `droppedAttributesCount`): a cut list would compare as a
   * different value, silently.
   */
  readonly maxArrayElements: number;
  /**
   * UTF-8 bytes of one string (attribute values and keys, names, messages) or bytes value. Longer
   * ones are truncated at a character boundary (OpenTelemetry: AttributeValueLengthLimit).
   */
  readonly maxValueBytes: number;
}

/** Generous for real telemetry (SDKs stop at 128 attributes, events and links), bounding for hostile input. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxAttributes: 1024,
  maxEvents: 1024,
  maxLinks: 1024,
  maxArrayElements: 10_000,
  maxValueBytes: 1024 * 1024,
});

/**
 * Memory one decode may take, shared with whatever else draws on it (the receiver draws on its
 * store's free capacity, so decoding never holds more than the store could accept). `take` is
 * called with the estimated bytes of what is about to be built, in steps of about 64 KiB; false
 * stops the decode with OtlpBudgetError. The estimate is a lower bound of the store's own
 * (`estimateSpanBytes`), so a request the store would accept is never stopped.
 */
export interface DecodeBudget {
  take(bytes: number): boolean;
}

/** What the limits dropped or cut from a request, for its partial success and the receiver's counters. */
export interface LimitCounts {
  /** Strings and bytes values truncated to maxValueBytes. */
  truncatedValues: number;
  /** Attributes dropped: over maxAttributes, or with a value over maxArrayElements. */
  droppedAttributes: number;
  droppedEvents: number;
  droppedLinks: number;
}

export function noLimitCounts(): LimitCounts {
  return { truncatedValues: 0, droppedAttributes: 0, droppedEvents: 0, droppedLinks: 0 };
}

export function anyLimited(c: LimitCounts): boolean {
  return c.truncatedValues + c.droppedAttributes + c.droppedEvents + c.droppedLinks > 0;
}

/** `truncated 2 values over maxValueBytes (1048576); dropped 1 attribute (limits: ...)`: the partial-success warning. */
export function describeLimited(c: LimitCounts, limits: DecodeLimits): string {
  const parts: string[] = [];
  const n = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  if (c.truncatedValues > 0) parts.push(`truncated ${n(c.truncatedValues, 'string or bytes value')} to maxValueBytes (${limits.maxValueBytes})`);
  if (c.droppedAttributes > 0) parts.push(`dropped ${n(c.droppedAttributes, 'attribute')} over maxAttributes (${limits.maxAttributes}) or with more than maxArrayElements (${limits.maxArrayElements}) elements`);
  if (c.droppedEvents > 0) parts.push(`dropped ${n(c.droppedEvents, 'event')} over maxEvents (${limits.maxEvents})`);
  if (c.droppedLinks > 0) parts.push(`dropped ${n(c.droppedLinks, 'link')} over maxLinks (${limits.maxLinks})`);
  return parts.join('; ');
}

/**
 * Where UTF-8 `bytes` from `start` end when cut to at most `max` bytes without splitting a character
 * (backing off continuation bytes, 10xxxxxx); `max` must be less than what follows `start`.
 */
export function utf8CutEnd(bytes: Uint8Array, start: number, max: number): number {
  let at = start + max;
  while (at > start && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/** `s` cut to at most `max` UTF-8 bytes at a character boundary; `s` itself when it fits. */
export function truncateText(s: string, max: number): string {
  if (s.length * 3 <= max) return s;
  const bytes = Buffer.from(s);
  if (bytes.length <= max) return s;
  return bytes.toString('utf8', 0, utf8CutEnd(bytes, 0, max));
}

/** Spends estimated bytes against a budget in steps, so `take` is not called per value. */
export class BudgetMeter {
  private pending = 0;
  /** Bytes taken from the budget so far. */
  taken = 0;

  constructor(private readonly budget: DecodeBudget | undefined) {}

  spend(bytes: number): void {
    if (this.budget === undefined) return;
    this.pending += bytes;
    if (this.pending >= 65_536) this.flush();
  }

  /** Takes what is pending; throws OtlpBudgetError when the budget refuses. */
  flush(): void {
    if (this.budget === undefined || this.pending === 0) return;
    const n = this.pending;
    this.pending = 0;
    if (!this.budget.take(n)) throw new OtlpBudgetError(this.taken + n);
    this.taken += n;
  }
}

/**
 * The decode budget ran out: the request would decode into more than the memory it may take (for
 * the receiver: more than its store has free). Nothing of the request is kept.
 */
export class OtlpBudgetError extends Error {
  readonly code = 'OTLP_BUDGET';
  constructor(readonly neededBytes: number) {
    super(`the request decodes into more than the memory available to it (${neededBytes}+ bytes estimated)`);
    this.name = 'OtlpBudgetError';
  }
}

/** Rough lower bounds of the store's estimate (span-size.ts), in bytes. */
export const ESTIMATE = { span: 256, value: 32, entry: 48 } as const;
