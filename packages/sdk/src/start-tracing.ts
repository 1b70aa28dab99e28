import { createRequire, syncBuiltinESMExports } from 'node:module';
import { diag } from '@opentelemetry/api';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation, type UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { loadEnvInstrumentations } from './env-instrumentations.js';
import { type ExitFlushOptions, hookExit } from './exit-flush.js';
import { otlpHeadersFromEnv } from './exit-rescue.js';
import { createTraceExporter, type OtlpProtocol, resolveProtocol, resolveTracesUrl } from './exporter.js';
import { type PromptExportOptions, PromptExportSpanProcessor, type PromptExportStats } from './prompt-export.js';
import { probeTargetOf } from './reachability.js';
import { RedactingSpanProcessor } from './redaction/processor.js';
import { type RedactionOptions, Redactor } from './redaction/redactor.js';
import { OpenSpanReporter, type OpenSpanReporterOptions, resolveOpenSpansUrl } from './open-spans.js';
import { RunIdSpanProcessor } from './run-id.js';
import { DEFAULT_PAYLOAD_LIMIT, intFromEnv, setEffectSettings } from './settings.js';
import type { SpanExporterLike, SpanProcessorLike } from './span-types.js';

type Instrumentations = NonNullable<Partial<NodeSDKConfiguration>['instrumentations']>;

/** Options of startTracing(); every one has a default, and the standard OTEL_* variables apply. */
export interface TracingOptions {
  /** `service.name` (default: OTEL_SERVICE_NAME, then OpenTelemetry's `unknown_service:node`). */
  serviceName?: string;
  /** The OTLP traces URL (default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT, then a local receiver). */
  endpoint?: string;
  /** The OTLP protocol (default: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, then http/protobuf). */
  protocol?: OtlpProtocol;
  /** Export to this exporter instead of OTLP (a test double, a console exporter). */
  exporter?: SpanExporterLike;
  /**
   * Prompt export tuning. delayMs defaults to TRACECHECK_EXPORT_DELAY when set, else
   * OTEL_BSP_SCHEDULE_DELAY, else 0 (`tracecheck run` sets the first to 0 and the second to 20 for
   * plain OpenTelemetry services in the same command).
   */
  export?: PromptExportOptions;
  /** Options for the http instrumentation, or false to leave it out. */
  http?: HttpInstrumentationConfig | false;
  /** Options for the undici (fetch) instrumentation, or false to leave it out. */
  undici?: UndiciInstrumentationConfig | false;
  /** More instrumentations (express, pg, kafkajs, ...), before those TRACECHECK_INSTRUMENTATIONS names. */
  instrumentations?: Instrumentations;
  /** Span processors to run after the tracecheck ones (they see stamped, redacted spans). */
  spanProcessors?: SpanProcessorLike[];
  /** Redaction rules (the defaults plus these). */
  redaction?: RedactionOptions;
  /** Cap on `effect.payload` in UTF-8 bytes (default TRACECHECK_PAYLOAD_LIMIT, else 8192). */
  payloadLimit?: number;
  /** Flushing on the way out; false to hook nothing (then call shutdown() yourself). */
  flushOnExit?: ExitFlushOptions | false;
  /**
   * Reporting run-tagged spans still open to the receiver, so settling checks wait for them (on by
   * default when the receiver's URL is known: TRACECHECK_URL, or an OTLP/HTTP endpoint); false, or
   * TRACECHECK_OPEN_SPANS=false, turns it off.
   */
  openSpans?: Partial<OpenSpanReporterOptions> | false;
}

/** A started tracing setup. */
export interface Tracing {
  /** Sends every span ended so far; resolves when they are sent (at once when no receiver answers). */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and removes the exit hooks. Idempotent. */
  shutdown(): Promise<void>;
  /** Export counters (what was sent, dropped, is queued). */
  stats(): PromptExportStats;
}

let running: Tracing | undefined;

const disabled: Tracing = {
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
  stats: () => ({ exported: 0, dropped: 0, failedExports: 0, queued: 0, inFlight: 0, receiverDown: false }),
};

/**
 * Starts OpenTelemetry for this process, set up for tracecheck: NodeSDK with W3C trace-context and
 * baggage propagation (unless OTEL_PROPAGATORS says otherwise), the http and undici instrumentations,
 * run-id stamping, redaction, and prompt export to the receiver. Call it before the application
 * loads its HTTP clients and servers (or use `node --import @tracecheck/sdk/register`).
 *
 * Calling it again returns the running setup. With OTEL_SDK_DISABLED=true nothing is started and
 * effect() runs its functions without recording.
 */
export function startTracing(options: TracingOptions = {}): Tracing {
  if (running) {
    diag.warn('tracecheck: startTracing() was called again; the first setup stays in force');
    return running;
  }
  if (/^true$/i.test(process.env.OTEL_SDK_DISABLED?.trim() ?? '')) return disabled;
  const payloadLimit = options.payloadLimit ?? intFromEnv('TRACECHECK_PAYLOAD_LIMIT', DEFAULT_PAYLOAD_LIMIT);
  const redactor = new Redactor(options.redaction);
  setEffectSettings({ redactor, payloadLimit });

  const protocol = resolveProtocol(options.protocol);
  const url = resolveTracesUrl(protocol, options.endpoint);
  const exportOptions: PromptExportOptions = {
    delayMs: intFromEnv('TRACECHECK_EXPORT_DELAY', intFromEnv('OTEL_BSP_SCHEDULE_DELAY', 0)),
    maxBatchSize: intFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512),
    maxQueueSize: intFromEnv('OTEL_BSP_MAX_QUEUE_SIZE', 100_000),
    probe: options.exporter ? false : (probeTargetOf(url) ?? false),
    rescue: options.exporter || protocol === 'grpc' ? false : { url, headers: otlpHeadersFromEnv(), timeoutMs: options.flushOnExit ? (options.flushOnExit.timeoutMs ?? 5000) : 5000 },
    ...options.export,
  };
  const envInstrumentations = loadEnvInstrumentations() as Instrumentations;
  const exporter = options.exporter ?? createTraceExporter(protocol, options.endpoint);
  const exportProcessor = new PromptExportSpanProcessor(exporter, exportOptions);
  const openSpans = openSpanReporter(options, url, protocol);

  const sdk = new NodeSDK({
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    spanProcessors: [new RunIdSpanProcessor(), ...(openSpans ? [openSpans] : []), new RedactingSpanProcessor(redactor), exportProcessor, ...(options.spanProcessors ?? [])],
    instrumentations: [
      ...(options.http === false ? [] : [new HttpInstrumentation(httpConfig(options.http))]),
      ...(options.undici === false ? [] : [new UndiciInstrumentation(options.undici)]),
      ...(options.instrumentations ?? []),
      ...envInstrumentations,
    ],
    // Traces only: a receiver for test runs has no use for metrics or logs, and NodeSDK would
    // otherwise export both over OTLP by default. OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER opt in.
    ...(process.env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(process.env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  patchBuiltins();

  const unhook = options.flushOnExit === false ? () => {} : hookExit(
          () => exportProcessor.forceFlush(),
          () => exportProcessor.rescueOnExit(),
          options.flushOnExit,
        );
  let stopped: Promise<void> | undefined;
  const tracing: Tracing = {
    forceFlush: () => exportProcessor.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        unhook();
        await sdk.shutdown().catch((error: unknown) => diag.warn(`tracecheck: shutdown: ${String(error)}`));
        if (running === tracing) running = undefined;
      })();
      return stopped;
    },
    stats: () => exportProcessor.stats(),
  };
  running = tracing;
  return tracing;
}

/** The open-span reporter startTracing() adds, unless turned off or the receiver's URL is unknown. */
function openSpanReporter(options: TracingOptions, tracesUrl: string, protocol: OtlpProtocol): OpenSpanReporter | undefined {
  if (options.openSpans === false) return undefined;
  // With a custom exporter (a test double) spans go nowhere near a receiver, unless a URL is given.
  const url = options.openSpans?.url ?? (options.exporter ? undefined : resolveOpenSpansUrl(tracesUrl, protocol));
  if (url === undefined) return undefined;
  const token = process.env.TRACECHECK_TOKEN?.trim();
  const headers = token ? { authorization: `Bearer ${token}` } : otlpHeadersFromEnv();
  return new OpenSpanReporter({ headers, ...options.openSpans, url });
}

// OTLP ingest paths (and the open-span report). A process that embeds a receiver (a test runner, a collector) must not trace
// the export requests it receives: each would become a span whose export is another request.
const otlpIngest = /^\/(v1\/(traces|metrics|logs)|api\/open-spans)(\?|$)/;

function httpConfig(config: HttpInstrumentationConfig = {}): HttpInstrumentationConfig {
  const userHook = config.ignoreIncomingRequestHook;
  return {
    ...config,
    ignoreIncomingRequestHook: (req) => otlpIngest.test(req.url ?? '') || (userHook?.(req) ?? false),
  };
}

/**
 * Instrumentations patch Node's builtins when they are `require`d, but an ES module's
 * `import http from 'node:http'` never goes through `require`. Requiring them here lets the
 * instrumentations patch the shared module objects, and syncBuiltinESMExports() updates the named
 * ESM exports (`import { request } from 'node:http'`) to the patched functions.
 */
function patchBuiltins(): void {
  const require = createRequire(import.meta.url);
  for (const name of ['node:http', 'node:https']) require(name);
  syncBuiltinESMExports();
}

/**
 * The tracecheck span processors for a service that keeps its own OpenTelemetry setup: run-id
 * stamping, redaction, and prompt export to `exporter`. Add them first to the provider's
 * `spanProcessors`. Use RunIdSpanProcessor alone to only stamp.
 */
export function createSpanProcessors(exporter: SpanExporterLike, options: { redaction?: RedactionOptions; export?: PromptExportOptions } = {}): SpanProcessorLike[] {
  return [new RunIdSpanProcessor(), new RedactingSpanProcessor(options.redaction), new PromptExportSpanProcessor(exporter, options.export)];
}
