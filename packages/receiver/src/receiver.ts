import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BufferPool } from '@tracecheck/otlp';
import type { Overturn } from '@tracecheck/lang';
import { OpenSpans } from '@tracecheck/model';
import { ColumnarStore, type ReceiverStore } from '@tracecheck/store';
import type { CheckAmendment, CheckRecord } from './check-api.js';
import { BODY_POOL_BUFFERS, DIRECT_READ_MAX_BYTES } from './body.js';
import { InFlightBudget } from './in-flight.js';
import { DecodeMemory, type IngestStats, newIngestStats } from './ingest.js';
import { connectableHost, hostPort } from './address.js';
import { startGrpcServer, stopGrpcServer } from './grpc-server.js';
import { startHttpServer, stopHttpServer } from './http-server.js';
import { decodeLimitsOf, type ReceiverLimits, ReceiverOptionsError, resolveLimits } from './limits.js';
import { type CloseOptions, type CloseResult, RunLifecycle } from './run-end.js';
import type { SnapshotRecord } from './run-api.js';

/** How to run a receiver; everything has a default. */
export interface ReceiverOptions {
  /** Interface to bind both servers to (default 127.0.0.1: reachable from this machine only). */
  host?: string;
  /** OTLP/HTTP and query API port (default 4318); 0 picks a free port. */
  httpPort?: number;
  /** OTLP/gRPC port (default 4317); 0 picks a free port; `false` runs no gRPC server. */
  grpcPort?: number | false;
  /** When set, every endpoint requires `Authorization: Bearer <token>` (gRPC: `authorization` metadata). */
  token?: string;
  /** Overrides of `defaultLimits`. */
  limits?: Partial<ReceiverLimits>;
  /** The store to fill; by default a new one sized by `limits.maxMemoryBytes` and `limits.retentionMs`. */
  store?: ReceiverStore;
  /** Called with every verdict `POST /api/check` gives (e.g. `tracecheck run` collects them for its report). */
  onCheck?: (record: CheckRecord) => void;
  /** Called when a client reports a check's final verdict after running its payload schemas. */
  onCheckAmend?: (amendment: CheckAmendment) => void;
  /** Called when a test records an effect snapshot of a run (`POST /api/runs/{id}/snapshot`). */
  onSnapshot?: (record: SnapshotRecord) => void;
  /** Called with every settled pass that the end of its run overturned (close, delete, `closeAllRuns`). */
  onOverturn?: (overturn: Overturn) => void;
}

/** A running receiver. */
export interface Receiver {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:4318` or `http://[::1]:4318`. */
  readonly httpUrl: string;
  /** gRPC target `host:port`, e.g. `127.0.0.1:4317`; undefined when gRPC is disabled. */
  readonly grpcAddress: string | undefined;
  readonly store: ReceiverStore;
  readonly limits: ReceiverLimits;
  /** Export requests by outcome and what the decode limits dropped (live counters; `GET /api/stats`). */
  readonly stats: IngestStats;
  /** Ends a run as `POST /api/runs/{id}/close` does: waits for it to settle, re-verifies its settled passes. */
  closeRun(runId: string, options?: CloseOptions): Promise<CloseResult>;
  /** Ends every run with settled passes (`tracecheck run` calls it when its command exits). */
  closeAllRuns(options?: CloseOptions): Promise<CloseResult[]>;
  /** Stops both servers and the retention sweep and frees both ports. Idempotent. */
  stop(): Promise<void>;
}

/** A server could not start (typically its port is in use); `cause` is the underlying error. */
export class ReceiverStartError extends Error {
  readonly code = 'RECEIVER_START';
  constructor(
    readonly server: 'http' | 'grpc',
    readonly address: string,
    cause: unknown,
  ) {
    super(`cannot start the ${server === 'http' ? 'HTTP' : 'gRPC'} server on ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'ReceiverStartError';
  }
}

/** Spans the retention sweep drops before it lets other work run. */
const SWEEP_SPANS = 20_000;

/** How long in-flight requests may run on after `stop()` before their connections are cut. */
const STOP_GRACE_MS = 2000;

function checkPort(option: string, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReceiverOptionsError(option, `must be an integer port 0-65535, got ${String(port)}`);
  }
  return port;
}

/** Starts the OTLP/HTTP and OTLP/gRPC servers over one span store. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const httpPort = checkPort('httpPort', options.httpPort ?? 4318);
  const grpcPort = options.grpcPort === false ? false : checkPort('grpcPort', options.grpcPort ?? 4317);
  if (options.token === '') throw new ReceiverOptionsError('token', 'must not be empty (omit it to run without a token)');
  const limits = resolveLimits(options.limits);
  const store = options.store ?? new ColumnarStore({ maxBytes: limits.maxMemoryBytes, retentionMs: limits.retentionMs, decodeLimits: decodeLimitsOf(limits) });
  const openSpans = new OpenSpans(limits.maxOpenSpans);
  const lifecycle = new RunLifecycle(store, openSpans, options.onOverturn, limits.maxSettledPasses);
  const stats = newIngestStats();
  const ctx = {
    store,
    openSpans,
    lifecycle,
    limits,
    token: options.token,
    onCheck: options.onCheck,
    onSnapshot: options.onSnapshot,
    onCheckAmend: options.onCheckAmend,
    inFlight: new InFlightBudget(limits.maxInFlightBytes, limits.retryAfterSeconds),
    decodeMemory: new DecodeMemory(store),
    stats,
    bodyPool: new BufferPool(BODY_POOL_BUFFERS, DIRECT_READ_MAX_BYTES),
  };

  const http = await startHttpServer(host, httpPort, ctx).catch((err: unknown) => {
    throw new ReceiverStartError('http', hostPort(host, httpPort), err);
  });
  let grpc: Awaited<ReturnType<typeof startGrpcServer>> | undefined;
  if (grpcPort !== false) {
    try {
      grpc = await startGrpcServer(host, grpcPort, ctx);
    } catch (err) {
      await stopHttpServer(http.server, 0);
      throw new ReceiverStartError('grpc', hostPort(host, grpcPort), err);
    }
  }

  // The longest the event loop was held (by anything: a request, a check, a sweep), for /api/stats.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  stats.eventLoop = loopDelay;

  // A sweep drops at most SWEEP_SPANS spans per turn of the event loop: a hundred expired runs
  // at once must not hold the receiver while they are freed.
  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      try {
        while (store.sweep(SWEEP_SPANS) >= SWEEP_SPANS) await new Promise((resolve) => setImmediate(resolve));
      } catch {
        // A failed sweep only delays retention; it must not take the receiver down with it.
      } finally {
        sweeping = false;
      }
    })();
  }, limits.sweepIntervalMs);
  sweeper.unref();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      clearInterval(sweeper);
      loopDelay.disable();
      await Promise.all([stopHttpServer(http.server, STOP_GRACE_MS), grpc && stopGrpcServer(grpc.server, STOP_GRACE_MS)]);
    })();
    return stopped;
  };

  return {
    httpUrl: `http://${connectableHost(http.address.address)}:${http.address.port}`,
    grpcAddress: grpc && `${connectableHost(host)}:${grpc.port}`,
    store,
    limits,
    stats,
    closeRun: (runId, closeOptions) => lifecycle.close(runId, closeOptions),
    closeAllRuns: (closeOptions) => lifecycle.closeAll(closeOptions),
    stop,
  };
}
