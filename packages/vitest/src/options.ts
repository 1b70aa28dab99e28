/**
 * The plugin's options, as a user writes them (durations as `'5s'` or milliseconds), and as the
 * global setup and the workers get them: resolved to milliseconds and plain JSON, since they travel
 * through Vitest's `provide` (serialised to each worker).
 */
import type { SnapshotOptions } from '@tracecheck/lang';
import { DEFAULT_TIMEOUT_MS, parseDuration } from '@tracecheck/lang';
import type { ReceiverLimits } from '@tracecheck/receiver';

/** Milliseconds, or a duration with a unit: `'300ms'`, `'5s'`, `'1m30s'`. */
export type Duration = number | string;

/** A process the tests need, started before them and stopped after them (like Playwright's `webServer`). */
export interface ServiceOptions {
  /** Shell command that starts it, e.g. `node --import @tracecheck/sdk/register api.mjs` or `npm run start:api`. */
  command: string;
  /** Ready when a GET to this URL answers with any status below 500. */
  url?: string;
  /** Ready when this port on the loopback interface accepts a TCP connection (when there is no `url`). */
  port?: number;
  /** Added to the environment (after the receiver's variables, so it can override them). */
  env?: Record<string, string>;
  /** Working directory (default: the Vitest project's root). */
  cwd?: string;
  /** Most time to wait for it to be ready (default 60 s). */
  timeout?: Duration;
  /** When `url` (or `port`) already answers, use what answers instead of starting the command. */
  reuseExisting?: boolean;
  /** Name in logs and errors (default: the command). */
  name?: string;
}

/** What to keep of the services' output, and what a failing test shows. */
export interface ServiceLogOptions {
  /** Bytes of output kept per service, the newest (a ring buffer; default 64 KiB). */
  keepBytes?: number;
  /** Bytes per service shown with a failure, the end of what was logged since the test started (default 4 KiB). */
  showBytes?: number;
  /**
   * Also add the logs to tests that fail for another reason than a check (a status code, a thrown
   * error), as one more error after the test's own (default true).
   */
  onEveryFailure?: boolean;
}

export interface TracecheckOptions {
  /** Use this receiver instead of embedding one (default: `TRACECHECK_URL` when set, as under `tracecheck run`). */
  url?: string;
  /** Bearer token of the receiver (default `TRACECHECK_TOKEN`); an embedded receiver then requires it. */
  token?: string;
  /** How long a check may wait for its effects (default 10 s). */
  timeout?: Duration;
  /** Quiet time before a settling check passes (default: the receiver's, 300 ms). */
  settle?: Duration;
  /** Most time a settling check waits for a parent span that has not arrived (default 5 s). */
  parentCap?: Duration;
  /** Most time a settling check waits for the consumer of a producer span (default 5 s). */
  consumerCap?: Duration;
  /** Most time a settling check waits for a span the SDK reported open (default 5 s). */
  openCap?: Duration;
  /** Processes to start after the receiver, in order, pointed at it. */
  services?: ServiceOptions[];
  /** The embedded receiver: interface, ports (default 0: free ports), limits. */
  receiver?: { host?: string; httpPort?: number; grpcPort?: number | false; limits?: Partial<ReceiverLimits> };
  /**
   * Keep each test's run on the receiver when the test ends (default: only when the receiver is not
   * embedded, so that `tracecheck run --report` can write the runs' spans).
   */
  keepRuns?: boolean;
  /** Annotate a test whose check failed with the evidence (Vitest's `context.annotate`; default true). */
  annotate?: boolean;
  serviceLogs?: ServiceLogOptions;
  /** Defaults of `toMatchEffectSnapshot`: payload paths to pin or ignore, effects to exclude, attributes to record. */
  snapshot?: SnapshotOptions;
}

/** Snapshot defaults as they travel to workers: a RegExp in `exclude` as its source and flags. */
export interface SerializedSnapshotOptions {
  pin?: string[];
  ignore?: string[];
  attributes?: string[];
  exclude?: (string | { source: string; flags: string })[];
}

export function serializeSnapshotOptions(o: SnapshotOptions | undefined): SerializedSnapshotOptions | undefined {
  if (o === undefined) return undefined;
  return {
    ...(o.pin ? { pin: [...o.pin] } : {}),
    ...(o.ignore ? { ignore: [...o.ignore] } : {}),
    ...(o.attributes ? { attributes: [...o.attributes] } : {}),
    ...(o.exclude ? { exclude: o.exclude.map((e) => (typeof e === 'string' ? e : { source: e.source, flags: e.flags })) } : {}),
  };
}

export function deserializeSnapshotOptions(o: SerializedSnapshotOptions | undefined): SnapshotOptions {
  if (o === undefined) return {};
  const { exclude, ...rest } = o;
  return { ...rest, ...(exclude ? { exclude: exclude.map((e) => (typeof e === 'string' ? e : new RegExp(e.source, e.flags))) } : {}) };
}

/** A service with its durations in milliseconds. */
export interface ResolvedService {
  command: string;
  url?: string;
  port?: number;
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  reuseExisting: boolean;
  name: string;
}

/** The defaults of every check, in the client's terms. */
export interface CheckDefaults {
  timeoutMs: number;
  settleMs?: number;
  parentCapMs?: number;
  consumerCapMs?: number;
  openCapMs?: number;
}

/** The options resolved: what the plugin hands the global setup (`provide('tracecheckConfig', ...)`). */
export interface ResolvedOptions {
  url?: string;
  token?: string;
  defaults: CheckDefaults;
  services: ResolvedService[];
  receiver: { host?: string; httpPort: number; grpcPort: number | false; limits?: Partial<ReceiverLimits> };
  keepRuns?: boolean;
  annotate: boolean;
  serviceLogs: Required<ServiceLogOptions>;
  /** The test timeout the plugin set (or found), so a check can fit in it. */
  testTimeout?: number;
  snapshot?: SerializedSnapshotOptions;
}

/** What the global setup hands every worker (`inject('tracecheck')`). */
export interface ProvidedRun {
  /** The receiver's HTTP URL. */
  url: string;
  token?: string;
  defaults: CheckDefaults;
  keepRuns: boolean;
  annotate: boolean;
  testTimeout?: number;
  snapshot?: SerializedSnapshotOptions;
  /** The global setup's log endpoint, when it started services. */
  logs?: { url: string; token: string; showBytes: number; onEveryFailure: boolean };
}

export const DEFAULT_SERVICE_TIMEOUT_MS = 60_000;
export const DEFAULT_KEEP_BYTES = 64 * 1024;
export const DEFAULT_SHOW_BYTES = 4 * 1024;

/** A user's duration in milliseconds; throws a message naming the option when it is not one. */
export function durationMs(option: string, value: Duration): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`tracecheck: ${option} must be a duration ('5s', '300ms') or milliseconds >= 0, got ${value}`);
    return value;
  }
  const nanos = typeof value === 'string' ? parseDuration(value.trim()) : undefined;
  if (nanos === undefined) throw new TypeError(`tracecheck: ${option} must be a duration ('5s', '300ms', '1m30s') or milliseconds, got ${JSON.stringify(value)}`);
  return Number(nanos / 1_000_000n);
}

function optionalMs(option: string, value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : durationMs(option, value);
}

function positive(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`tracecheck: ${option} must be a whole number of bytes > 0, got ${value}`);
  return value;
}

/** Check defaults from options: only what was given, plus the timeout (the client needs one to fit tests). */
export function checkDefaults(options: Pick<TracecheckOptions, 'timeout' | 'settle' | 'parentCap' | 'consumerCap' | 'openCap'>): CheckDefaults {
  const out: CheckDefaults = { timeoutMs: optionalMs('timeout', options.timeout) ?? DEFAULT_TIMEOUT_MS };
  const settle = optionalMs('settle', options.settle);
  const parent = optionalMs('parentCap', options.parentCap);
  const consumer = optionalMs('consumerCap', options.consumerCap);
  const open = optionalMs('openCap', options.openCap);
  if (settle !== undefined) out.settleMs = settle;
  if (parent !== undefined) out.parentCapMs = parent;
  if (consumer !== undefined) out.consumerCapMs = consumer;
  if (open !== undefined) out.openCapMs = open;
  return out;
}

/** Validates and resolves the plugin's options (throws a TypeError naming the bad option). */
export function resolveOptions(options: TracecheckOptions = {}): ResolvedOptions {
  const services = (options.services ?? []).map((s, i): ResolvedService => {
    const where = `services[${i}]`;
    if (typeof s?.command !== 'string' || s.command.trim() === '') throw new TypeError(`tracecheck: ${where}.command must be the shell command that starts the service`);
    if (s.url !== undefined && !/^https?:$/.test(URL.parse(String(s.url))?.protocol ?? '')) {
      throw new TypeError(`tracecheck: ${where}.url must be an absolute http(s) URL such as http://127.0.0.1:3000/health, got ${JSON.stringify(s.url)}`);
    }
    if (s.port !== undefined && (!Number.isInteger(s.port) || s.port <= 0 || s.port > 65535)) throw new TypeError(`tracecheck: ${where}.port must be a port 1-65535, got ${s.port}`);
    if (s.reuseExisting && s.url === undefined && s.port === undefined) throw new TypeError(`tracecheck: ${where}.reuseExisting needs a url or a port to find the existing service`);
    return {
      command: s.command,
      ...(s.url === undefined ? {} : { url: s.url }),
      ...(s.port === undefined ? {} : { port: s.port }),
      env: { ...(s.env ?? {}) },
      ...(s.cwd === undefined ? {} : { cwd: s.cwd }),
      timeoutMs: optionalMs(`${where}.timeout`, s.timeout) ?? DEFAULT_SERVICE_TIMEOUT_MS,
      reuseExisting: s.reuseExisting === true,
      name: s.name ?? s.command,
    };
  });
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.name)) throw new TypeError(`tracecheck: two services are named ${JSON.stringify(s.name)}; give each a distinct name`);
    names.add(s.name);
  }
  if (options.token === '') throw new TypeError('tracecheck: token must not be empty (omit it to run without one)');
  const logs = options.serviceLogs ?? {};
  return {
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.token === undefined ? {} : { token: options.token }),
    defaults: checkDefaults(options),
    services,
    receiver: {
      ...(options.receiver?.host === undefined ? {} : { host: options.receiver.host }),
      httpPort: options.receiver?.httpPort ?? 0,
      grpcPort: options.receiver?.grpcPort ?? 0,
      ...(options.receiver?.limits === undefined ? {} : { limits: options.receiver.limits }),
    },
    ...(options.keepRuns === undefined ? {} : { keepRuns: options.keepRuns }),
    ...(options.snapshot === undefined ? {} : { snapshot: serializeSnapshotOptions(options.snapshot)! }),
    annotate: options.annotate ?? true,
    serviceLogs: {
      keepBytes: positive('serviceLogs.keepBytes', logs.keepBytes, DEFAULT_KEEP_BYTES),
      showBytes: positive('serviceLogs.showBytes', logs.showBytes, DEFAULT_SHOW_BYTES),
      onEveryFailure: logs.onEveryFailure ?? true,
    },
  };
}
