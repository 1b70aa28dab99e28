/**
 * A receiver for a Playwright run, started from playwright.config.ts so that the `webServer`
 * services (which Playwright starts before `globalSetup`, and with the environment of the process
 * that read the config) export to it:
 *
 *   const tracecheck = await tracecheckReceiver();   // top of playwright.config.ts
 *
 * Playwright evaluates the config file in its main process and again in every worker process. The
 * main process starts the receiver (unless `TRACECHECK_URL` is already set, e.g. under `tracecheck
 * run`) and sets `TRACECHECK_URL` and the `OTEL_*` variables in `process.env`; `webServer` commands
 * and the workers inherit them, so a worker finds `TRACECHECK_URL` set and reuses it.
 */
import type { ReceiverOptions } from '@tracecheck/receiver';

export interface TracecheckReceiverOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** OTLP/HTTP and query API port (default 0: a free port). */
  httpPort?: number;
  /** OTLP/gRPC port (default 0: a free port); `false` for none. */
  grpcPort?: number | false;
  /** Require `Authorization: Bearer <token>` (default `TRACECHECK_TOKEN`). */
  token?: string;
  /** Receiver limits (memory, retention, ...), see @tracecheck/receiver. */
  limits?: ReceiverOptions['limits'];
}

export interface TracecheckReceiver {
  /** The receiver's HTTP URL (`TRACECHECK_URL`). */
  readonly url: string;
  /** Whether this process started it (false: reused `TRACECHECK_URL`). */
  readonly started: boolean;
  /**
   * The variables a service needs to export to the receiver, as set in `process.env`: for
   * `webServer.env` when a server needs them spelled out (Playwright passes `process.env` on anyway).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops a receiver this process started (the process exiting stops it too); no-op otherwise. */
  stop(): Promise<void>;
}

/** The variables the receiver sets, as `tracecheck run` sets them. */
const ENV_KEYS = ['TRACECHECK_URL', 'TRACECHECK_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_BSP_SCHEDULE_DELAY', 'TRACECHECK_EXPORT_DELAY'] as const;

function currentEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ENV_KEYS) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  return env;
}

/** A worker process of Playwright Test (they evaluate the config too, and must not start receivers). */
function isPlaywrightWorker(): boolean {
  return process.env.TEST_WORKER_INDEX !== undefined || process.env.TEST_PARALLEL_INDEX !== undefined;
}

let started: Promise<TracecheckReceiver> | undefined;

/**
 * Starts a receiver in this process, or reuses the one `TRACECHECK_URL` names, and points the
 * environment at it (`TRACECHECK_URL`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`
 * unless set, `OTEL_BSP_SCHEDULE_DELAY=20` and `TRACECHECK_EXPORT_DELAY=0` unless set, and with a
 * token `TRACECHECK_TOKEN` and the `Authorization` in `OTEL_EXPORTER_OTLP_HEADERS`). Await it at the
 * top of playwright.config.ts, before the config object (and its `webServer.env`) is built.
 */
export function tracecheckReceiver(options: TracecheckReceiverOptions = {}): Promise<TracecheckReceiver> {
  started ??= start(options).catch((err: unknown) => {
    started = undefined;
    throw err;
  });
  return started;
}

async function start(options: TracecheckReceiverOptions): Promise<TracecheckReceiver> {
  const existing = process.env.TRACECHECK_URL;
  if (existing) {
    // A worker inherits the main process's receiver; the main process may be under `tracecheck run`.
    if (!isPlaywrightWorker()) await probe(existing);
    return { url: existing, started: false, env: currentEnv(), stop: async () => undefined };
  }
  if (isPlaywrightWorker()) {
    throw new Error('tracecheckReceiver(): TRACECHECK_URL is not set in this Playwright worker; the main process should have set it when it read the config');
  }
  const { startReceiver } = await import('@tracecheck/receiver');
  const token = options.token ?? (process.env.TRACECHECK_TOKEN || undefined);
  const receiver = await startReceiver({
    host: options.host ?? '127.0.0.1',
    httpPort: options.httpPort ?? 0,
    grpcPort: options.grpcPort ?? 0,
    ...(token ? { token } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const grpc = process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' && receiver.grpcAddress !== undefined;
  process.env.TRACECHECK_URL = receiver.httpUrl;
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = grpc ? `http://${receiver.grpcAddress}` : receiver.httpUrl;
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL ??= 'http/protobuf';
  process.env.OTEL_BSP_SCHEDULE_DELAY ??= '20';
  process.env.TRACECHECK_EXPORT_DELAY ??= '0';
  if (token) {
    process.env.TRACECHECK_TOKEN = token;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = withAuthorization(process.env.OTEL_EXPORTER_OTLP_HEADERS, token);
  }
  return { url: receiver.httpUrl, started: true, env: currentEnv(), stop: () => receiver.stop() };
}

async function probe(url: string): Promise<void> {
  try {
    await fetch(`${url.replace(/\/+$/, '')}/api/runs`, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new Error(`tracecheckReceiver(): TRACECHECK_URL is ${url}, but no receiver answers there (${(err as Error).message}); unset it to start one here, or start \`tracecheck receive\``, {
      cause: err,
    });
  }
}

/** OTEL_EXPORTER_OTLP_HEADERS with the bearer token added (the exporters send these headers). */
function withAuthorization(headers: string | undefined, token: string): string {
  const others = (headers ?? '').split(',').filter((p) => p.trim() !== '' && !/^\s*authorization\s*=/i.test(p));
  return [...others, `Authorization=${encodeURIComponent(`Bearer ${token}`)}`].join(',');
}
