import { type Context, createContextKey, context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { type RescueTarget, sendSync } from './exit-rescue.js';
import { encodeOtlpJson } from './otlp-json.js';
import { probe, type ProbeTarget } from './reachability.js';
import type { EndedSpan, ExportResultLike, SpanExporterLike, SpanProcessorLike, StartedSpan } from './span-types.js';

/** Tuning of PromptExportSpanProcessor; the defaults suit a test run against a local receiver. */
export interface PromptExportOptions {
  /** Wait this long after a span ends before exporting (default 0: the next turn of the event loop). */
  delayMs?: number;
  /** Most spans per export request (default 512). */
  maxBatchSize?: number;
  /** Most spans held while exports are in flight or the receiver is down; the oldest go first (default 100,000). */
  maxQueueSize?: number;
  /** Export requests in flight at once (default 8; the OTLP exporters refuse more than 30). */
  maxConcurrentExports?: number;
  /**
   * Least time between the starts of two export requests, in ms (default 5): spans that end sooner
   * after a request went out wait, and go together in the next one. An isolated span still goes in
   * the next turn; a full batch, and a flush, never wait. 0: a request for every turn that ended spans.
   */
  minIntervalMs?: number;
  /** Probe this address before the first export and after a failed one (see reachability.ts); false to never probe. */
  probe?: ProbeTarget | false;
  /**
   * Where rescueOnExit() sends the spans still queued or in flight when the process exits (an
   * OTLP/HTTP URL); false (the default for a processor built by hand) to lose them.
   */
  rescue?: RescueTarget | false;
}

/** Counters a test or a benchmark can read. */
export interface PromptExportStats {
  exported: number;
  dropped: number;
  failedExports: number;
  queued: number;
  inFlight: number;
  receiverDown: boolean;
}

const SUCCESS = 0;

// @opentelemetry/core's suppressTracing() key (createContextKey is Symbol.for, so every copy agrees).
// Exports run with it set, or the http instrumentation would trace each export request, whose span
// would be exported in turn, for ever.
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');
export const exportContext = ROOT_CONTEXT.setValue(SUPPRESS_TRACING, true);

/**
 * Exports each ended span within milliseconds instead of the BatchSpanProcessor's 5 s: spans ended in
 * the same turn of the event loop go out together in one request, at most `maxConcurrentExports`
 * requests are in flight (a burst queues instead of hitting the exporter's limit of 30), and a failed
 * export never throws into the application.
 */
export class PromptExportSpanProcessor implements SpanProcessorLike {
  private readonly queue: EndedSpan[] = [];
  private readonly delayMs: number;
  private readonly maxBatchSize: number;
  private readonly maxQueueSize: number;
  private readonly maxConcurrent: number;
  private readonly minIntervalMs: number;
  private readonly probeTarget: ProbeTarget | undefined;
  private readonly rescueTarget: RescueTarget | undefined;
  private readonly inFlightBatches = new Set<EndedSpan[]>();
  private exporter: SpanExporterLike | undefined;
  private readonly exporterReady: Promise<void>;
  private scheduled = false;
  private inFlight = 0;
  private lastSendAt = -Infinity;
  private holdTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private retryPending = false;
  private retryDelayMs = 100;
  private state: 'unknown' | 'up' | 'down';
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly counts = { exported: 0, dropped: 0, failedExports: 0 };

  constructor(exporter: SpanExporterLike | Promise<SpanExporterLike>, options: PromptExportOptions = {}) {
    this.delayMs = Math.max(0, options.delayMs ?? 0);
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 512);
    this.maxQueueSize = Math.max(1, options.maxQueueSize ?? 100_000);
    this.maxConcurrent = Math.min(30, Math.max(1, options.maxConcurrentExports ?? 8));
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 5);
    this.probeTarget = options.probe || undefined;
    this.rescueTarget = options.rescue || undefined;
    this.state = this.probeTarget ? 'unknown' : 'up';
    this.exporterReady = Promise.resolve(exporter).then(
      (e) => {
        this.exporter = e;
      },
      (error: unknown) => {
        diag.error(`tracecheck: the span exporter could not be created; spans will not be exported: ${String(error)}`);
        this.stopped = true;
        this.queue.length = 0;
        this.wakeIdle();
      },
    );
  }

  onStart(_span: StartedSpan, _parentContext: Context): void {}

  onEnd(span: EndedSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & 1) === 0) return;
    if (this.queue.length >= this.maxQueueSize) {
      this.queue.shift();
      this.counts.dropped++;
    }
    this.queue.push(span);
    this.schedule();
  }

  /** Sends everything queued and resolves once sent; at once when the receiver is known to be down. */
  forceFlush(): Promise<void> {
    // Known down: nothing to wait for, and no new probe either (on beforeExit, a probe would be new
    // work, so the loop would empty again, beforeExit fire again, and so on for ever).
    if (this.state === 'down' && this.inFlight === 0) return Promise.resolve();
    // Waiting first: pump() sends everything at once, without the spacing of requests, while someone waits.
    const idle = this.whenIdle();
    this.pump();
    return idle;
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.forceFlush();
    this.stopped = true;
    await this.exporterReady;
    await this.exporter?.shutdown().catch(() => {});
  }

  /**
   * For the process's `exit` event, when asynchronous exports can no longer finish (the application
   * called process.exit()): sends every span still queued or in flight synchronously as OTLP/JSON.
   * Spans of a batch that was in flight may arrive twice; receivers drop duplicates by span id.
   */
  rescueOnExit(): void {
    if (!this.rescueTarget || this.stopped || this.state === 'down') return;
    const pending = [...[...this.inFlightBatches].flat(), ...this.queue];
    if (pending.length === 0) return;
    this.queue.length = 0;
    if (sendSync(this.rescueTarget, encodeOtlpJson(pending))) this.counts.exported += pending.length;
    else this.counts.dropped += pending.length;
  }

  stats(): PromptExportStats {
    return { ...this.counts, queued: this.queue.length, inFlight: this.inFlight, receiverDown: this.state === 'down' };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.pump();
    };
    // The immediate is ref'd: an unref'd one runs only when something else wakes the event loop, so a
    // span ended in an idle service would wait for the next unrelated I/O or timer. It holds the
    // process for one turn at most. The delay timer is unref'd (beforeExit flushes instead).
    if (this.delayMs === 0) setImmediate(run);
    else setTimeout(run, this.delayMs).unref();
  }

  private pump(): void {
    if (this.stopped || this.queue.length === 0) return this.wakeIdleIfIdle();
    if (this.state !== 'up') {
      // Known down: the backoff timer probes again; probing on every turn that ends spans would not.
      if (this.state === 'down' && this.retryPending) return;
      return void this.checkReceiver();
    }
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrent) {
      // Each request costs the application far more than the spans in it (a request and a response,
      // the resource sent again, the receiver's work on the same cores): under load, requests go at
      // most every minIntervalMs with what ended meanwhile. A span after a quiet spell goes at once.
      if (this.queue.length < this.maxBatchSize && this.idleWaiters.length === 0) {
        const since = performance.now() - this.lastSendAt;
        if (since < this.minIntervalMs) return this.holdFor(this.minIntervalMs - since);
      }
      void this.send(this.queue.splice(0, this.maxBatchSize));
    }
  }

  private holdFor(ms: number): void {
    if (this.holdTimer) return;
    // Ref'd, like the immediate: it holds the process for at most minIntervalMs.
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.pump();
    }, Math.ceil(ms));
  }

  private async checkReceiver(): Promise<void> {
    if (this.probing || !this.probeTarget) return;
    this.probing = true;
    const target = this.probeTarget;
    const up = await context.with(exportContext, () => probe(target));
    this.probing = false;
    if (up) {
      if (this.state === 'down') diag.info(`tracecheck: receiver at ${this.probeTarget.host}:${this.probeTarget.port} answers again`);
      this.state = 'up';
      this.retryDelayMs = 100;
      this.pump();
      return;
    }
    if (this.state !== 'down') {
      diag.warn(`tracecheck: nothing listens at ${this.probeTarget.host}:${this.probeTarget.port}; holding up to ${this.maxQueueSize} spans until a receiver answers`);
    }
    this.state = 'down';
    this.wakeIdle();
    this.retryPending = true;
    setTimeout(() => {
      this.retryPending = false;
      this.pump();
    }, this.retryDelayMs).unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
  }

  private async send(batch: EndedSpan[]): Promise<void> {
    this.inFlight++;
    this.lastSendAt = performance.now();
    this.inFlightBatches.add(batch);
    try {
      await this.exporterReady;
      const exporter = this.exporter;
      if (!exporter) return;
      await settleResources(batch);
      const result = await new Promise<ExportResultLike>((resolve) => {
        try {
          context.with(exportContext, () => exporter.export(batch, resolve));
        } catch (error) {
          resolve({ code: 1, error: error as Error });
        }
      });
      if (result.code === SUCCESS) {
        this.counts.exported += batch.length;
      } else {
        this.counts.failedExports++;
        this.counts.dropped += batch.length;
        diag.warn(`tracecheck: exporting ${batch.length} spans failed: ${result.error?.message ?? 'unknown error'}`);
        // After a failure, look before sending more: a receiver that went away should not cost each batch a retry loop.
        if (this.probeTarget) this.state = 'unknown';
      }
    } finally {
      this.inFlight--;
      this.inFlightBatches.delete(batch);
      this.pump();
      this.wakeIdleIfIdle();
    }
  }

  private whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && (this.queue.length === 0 || this.stopped || this.state === 'down');
  }

  private wakeIdleIfIdle(): void {
    if (this.isIdle()) this.wakeIdle();
  }

  private wakeIdle(): void {
    if (!this.isIdle() && !this.stopped) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** Waits for the async resource attributes of a batch, as the SDK's own processors do before export. */
async function settleResources(batch: EndedSpan[]): Promise<void> {
  let last: EndedSpan['resource'];
  for (const span of batch) {
    const resource = span.resource;
    if (resource === last || !resource?.asyncAttributesPending) continue;
    last = resource;
    await resource.waitForAsyncAttributes?.().catch(() => {});
  }
}
