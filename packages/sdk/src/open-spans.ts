/**
 * Reports run-tagged spans that started and have not ended to the tracecheck receiver
 * (`POST /api/open-spans`). OTLP only carries ended spans, so a job span waiting out a retry's
 * backoff is invisible until it ends; with this signal, a settling check waits for it instead of
 * passing in the quiet gap. Plain OpenTelemetry services simply never send it.
 *
 * Cheap by design: only spans carrying a run id count, a span is reported only if it is still open
 * `delayMs` after it started (most spans end sooner and cost nothing), reports are batched, and a
 * receiver that does not know the endpoint (a Collector: 404) turns the reporter off for good.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Context, context, diag } from '@opentelemetry/api';
import { exportContext } from './prompt-export.js';
import { runIdOf } from './run-id.js';
import type { EndedSpan, SpanProcessorLike, StartedSpan } from './span-types.js';

export interface OpenSpanReporterOptions {
  /** The receiver's open-spans URL, e.g. `http://127.0.0.1:4318/api/open-spans`. */
  url: string;
  /** Request headers (authorization). */
  headers?: Record<string, string>;
  /** Report a span still open this long after it started, in ms (default 10). */
  delayMs?: number;
  /** Most spans tracked at once; past it new spans go unreported (default 10,000). */
  maxTracked?: number;
}

interface Tracked {
  readonly run: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly service: string | undefined;
  readonly startNanos: string;
}

/** What the SDK's span objects offer beyond the structural StartedSpan (present on both SDK lines). */
interface SdkSpanFields {
  readonly name?: string;
  readonly startTime?: [number, number];
  readonly resource?: { readonly attributes?: Record<string, unknown> };
}

const REQUEST_TIMEOUT_MS = 2000;

export class OpenSpanReporter implements SpanProcessorLike {
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly delayMs: number;
  private readonly maxTracked: number;
  /** Started, not yet reported (most end before their report is due). */
  private readonly fresh = new Map<string, Tracked>();
  /** Reported open, not yet ended. */
  private readonly reported = new Set<string>();
  private ended: { traceId: string; spanId: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private off = false;

  constructor(options: OpenSpanReporterOptions) {
    this.url = new URL(options.url);
    this.headers = { 'content-type': 'application/json', ...options.headers };
    this.delayMs = Math.max(0, options.delayMs ?? 10);
    this.maxTracked = Math.max(1, options.maxTracked ?? 10_000);
  }

  onStart(span: StartedSpan, parentContext: Context): void {
    if (this.off) return;
    const run = runIdOf(parentContext ?? context.active());
    if (run === undefined || this.fresh.size + this.reported.size >= this.maxTracked) return;
    const { traceId, spanId } = span.spanContext();
    const s = span as StartedSpan & SdkSpanFields;
    const service = s.resource?.attributes?.['service.name'];
    const start = s.startTime ?? [Math.floor(Date.now() / 1000), (Date.now() % 1000) * 1e6];
    this.fresh.set(`${traceId}/${spanId}`, {
      run,
      traceId,
      spanId,
      name: s.name ?? '',
      service: typeof service === 'string' ? service : undefined,
      startNanos: (BigInt(start[0]) * 1_000_000_000n + BigInt(start[1])).toString(),
    });
    this.schedule();
  }

  onEnd(span: EndedSpan): void {
    const { traceId, spanId } = span.spanContext();
    const key = `${traceId}/${spanId}`;
    if (this.fresh.delete(key)) return;
    if (this.reported.delete(key)) {
      // The span itself is on its way too; saying so also ends the report if the span is not exported.
      this.ended.push({ traceId, spanId });
      this.schedule();
    }
  }

  async forceFlush(): Promise<void> {
    await this.inFlight;
    if (this.ended.length > 0) await this.send([]);
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.forceFlush();
    this.off = true;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.off) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const open = [...this.fresh.values()];
      this.fresh.clear();
      for (const t of open) this.reported.add(`${t.traceId}/${t.spanId}`);
      if (open.length > 0 || this.ended.length > 0) this.inFlight = this.send(open);
    }, this.delayMs);
    this.timer.unref();
  }

  private send(open: Tracked[]): Promise<void> {
    const ended = this.ended;
    this.ended = [];
    const body = JSON.stringify({
      open: open.map((t) => ({ run: t.run, traceId: t.traceId, spanId: t.spanId, name: t.name, ...(t.service === undefined ? {} : { service: t.service }), startTimeUnixNano: t.startNanos })),
      ended,
    });
    return new Promise<void>((resolve) => {
      // Suppressed: the http instrumentation must not trace the report (its span would be reported in turn).
      context.with(exportContext, () => {
        const req = (this.url.protocol === 'https:' ? httpsRequest : httpRequest)(this.url, { method: 'POST', headers: { ...this.headers, 'content-length': Buffer.byteLength(body) }, timeout: REQUEST_TIMEOUT_MS });
        req.on('response', (res) => {
          res.resume();
          if (res.statusCode === 404 || res.statusCode === 405) this.turnOff(`${this.url.href} answered ${res.statusCode}: not a tracecheck receiver`);
          else if (res.statusCode === 401 || res.statusCode === 403) this.turnOff(`${this.url.href} answered ${res.statusCode}: set TRACECHECK_TOKEN or OTEL_EXPORTER_OTLP_HEADERS`);
          res.on('end', resolve);
          res.on('error', () => resolve());
        });
        req.on('timeout', () => req.destroy());
        // A receiver that is not up yet loses this report; the spans still arrive when they end.
        req.on('error', () => resolve());
        req.end(body);
      });
    });
  }

  private turnOff(why: string): void {
    if (this.off) return;
    this.off = true;
    this.fresh.clear();
    this.reported.clear();
    diag.info(`tracecheck: open spans are not reported (${why}); settling checks rely on the quiet window and the trace graph`);
  }
}

/**
 * Where open spans go: TRACECHECK_URL when set (`tracecheck run` sets it), else the receiver behind
 * an OTLP/HTTP traces URL (`…/v1/traces` -> `…/api/open-spans`). Undefined for gRPC without
 * TRACECHECK_URL (the gRPC port does not serve the API) or with TRACECHECK_OPEN_SPANS=false.
 */
export function resolveOpenSpansUrl(tracesUrl: string, protocol: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/^(false|0|off)$/i.test(env.TRACECHECK_OPEN_SPANS?.trim() ?? '')) return undefined;
  const base = env.TRACECHECK_URL?.trim();
  if (base) return `${base.replace(/\/+$/, '')}/api/open-spans`;
  if (protocol === 'grpc') return undefined;
  const m = /^(https?:\/\/[^/]+(?:\/.*?)?)\/v1\/traces\/?$/.exec(tracesUrl);
  return m ? `${m[1]}/api/open-spans` : undefined;
}
