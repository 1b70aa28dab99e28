/**
 * The receiver's limits. Each bounds what one CI job can make the receiver hold or do, so that a
 * misbehaving exporter gets a clear status code instead of taking the process down.
 */
export interface ReceiverLimits {
  /**
   * Largest request body accepted on `POST /v1/traces`, as sent (compressed if it is). Past it the
   * receiver answers 413 and stops reading. The Collector's OTLP receiver uses the same 20 MiB.
   */
  readonly maxBodyBytes: number;
  /**
   * Largest request after decompression (HTTP `Content-Encoding`, gRPC `grpc-encoding`): a gzip
   * bomb is cut off here with 413 (gRPC: RESOURCE_EXHAUSTED) instead of filling memory.
   */
  readonly maxDecompressedBytes: number;
  /**
   * Request bodies being read or processed at once, across all HTTP connections. Past it, further
   * uploads get 429 with `Retry-After` instead of being buffered. At least `maxBodyBytes`.
   */
  readonly maxInFlightBytes: number;
  /**
   * Memory the span store may use (estimated). When a request would not fit, nothing of it is
   * stored and the exporter is told to retry later (429 / RESOURCE_EXHAUSTED). Only used when the
   * receiver creates its own store.
   */
  readonly maxMemoryBytes: number;
  /**
   * Runs quiet for longer than this are dropped (retention). Only used when the receiver
   * creates its own store; a store passed in keeps its own setting.
   */
  readonly retentionMs: number;
  /** How often the receiver sweeps the store for runs past retention. */
  readonly sweepIntervalMs: number;
  /** Longest `timeoutMs` (and `settleMs`) a `POST /api/check` may ask for: a check holds a connection open. */
  readonly maxCheckTimeoutMs: number;
  /**
   * The `Retry-After` (and gRPC RetryInfo delay) sent while the store is full. An exporter that
   * honors it waits exactly this long between its attempts, so it sets how long the store may stay
   * full before the exporter gives a batch up: the OpenTelemetry JS exporters make 5 retries.
   */
  readonly retryAfterSeconds: number;
  /**
   * Open spans (`POST /api/open-spans`, from @tracecheck/sdk) remembered at once; past it the oldest
   * reports are dropped, so deciding waits less for them, never more.
   */
  readonly maxOpenSpans: number;
  /**
   * Settled passes kept for re-verification at the end of their run; past it the oldest are
   * forgotten (and are then not re-verified).
   */
  readonly maxSettledPasses: number;
  /**
   * Attributes of one span, event, link, resource or scope; past it further ones are dropped and
   * counted in the owner's `droppedAttributesCount` (OpenTelemetry's AttributeCountLimit is 128).
   */
  readonly maxAttributes: number;
  /** Events of one span; past it they are dropped and counted in `droppedEventsCount`. */
  readonly maxEvents: number;
  /** Links of one span; past it they are dropped and counted in `droppedLinksCount`. */
  readonly maxLinks: number;
  /**
   * Elements of one array value (entries of one kvlist value); an attribute whose value has more is
   * dropped whole and counted, never decoded element by element.
   */
  readonly maxArrayElements: number;
  /** UTF-8 bytes of one string or bytes value (names and keys too); longer ones are truncated. */
  readonly maxValueBytes: number;
  /**
   * Longest stretch, in ms, that decoding one request runs before letting other requests, checks and
   * `/healthz` run (it resumes after them).
   */
  readonly sliceMs: number;
  /**
   * gRPC connections: how often the server pings a connection (HTTP/2 PING); one whose client does
   * not answer within 10 s (a half-open connection: the client vanished) is closed.
   */
  readonly grpcKeepaliveMs: number;
  /** gRPC connections with no call for this long are closed (GOAWAY); the client reconnects when it next exports. */
  readonly grpcIdleMs: number;
  /**
   * How long a gRPC export may wait for room while the store is full, before the answer is
   * RESOURCE_EXHAUSTED with RetryInfo (never past the call's deadline less a second). The JS gRPC
   * exporter retries no status, so waiting is what loses least (packages/receiver/README.md).
   */
  readonly grpcFullWaitMs: number;
}

const MiB = 1024 * 1024;

/** The limits a receiver uses for every setting not given in its options. */
export const defaultLimits: ReceiverLimits = Object.freeze({
  maxBodyBytes: 20 * MiB,
  maxDecompressedBytes: 64 * MiB,
  maxInFlightBytes: 256 * MiB,
  maxMemoryBytes: 512 * MiB,
  retentionMs: 600_000,
  sweepIntervalMs: 30_000,
  maxCheckTimeoutMs: 300_000,
  // 3 s: 15 s of patience for the JS exporters. With 1 s, 8 exporters of 1,000,000 spans into a
  // 48 or 96 MiB store lost a third or a tenth of their spans (an HTTP exporter refused 5 times
  // running gave up); with 3 s, none (scripts/load.mjs).
  retryAfterSeconds: 3,
  maxOpenSpans: 10_000,
  maxSettledPasses: 10_000,
  maxAttributes: 1024,
  maxEvents: 1024,
  maxLinks: 1024,
  maxArrayElements: 10_000,
  maxValueBytes: MiB,
  sliceMs: 10,
  grpcKeepaliveMs: 30_000,
  grpcIdleMs: 120_000,
  grpcFullWaitMs: 8_000,
});

/** The decode limits of a receiver's limits (the names are the same). */
export function decodeLimitsOf(l: ReceiverLimits): { maxAttributes: number; maxEvents: number; maxLinks: number; maxArrayElements: number; maxValueBytes: number } {
  return { maxAttributes: l.maxAttributes, maxEvents: l.maxEvents, maxLinks: l.maxLinks, maxArrayElements: l.maxArrayElements, maxValueBytes: l.maxValueBytes };
}

/** Thrown by `startReceiver` for an option that cannot work (a negative limit, a bad port). */
export class ReceiverOptionsError extends Error {
  readonly code = 'RECEIVER_OPTIONS';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'ReceiverOptionsError';
  }
}

/** Fills in defaults and checks each limit is a positive integer. */
export function resolveLimits(limits: Partial<ReceiverLimits> = {}): ReceiverLimits {
  const resolved: ReceiverLimits = { ...defaultLimits, ...withoutUndefined(limits) };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ReceiverOptionsError(`limits.${name}`, `must be a positive integer, got ${String(value)}`);
    }
  }
  if (resolved.maxInFlightBytes < resolved.maxBodyBytes) {
    throw new ReceiverOptionsError('limits.maxInFlightBytes', `must be at least maxBodyBytes (${resolved.maxBodyBytes}), got ${resolved.maxInFlightBytes}`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
