/**
 * The `tracecheck` fixture option and the pure parts of the fixtures: which requests get the run's
 * headers, and how the headers merge with those a request already has. No Playwright import here, so
 * these are unit-tested without a browser.
 */
import type { CheckOptions, CloseRunOptions, RunHeaders } from '@tracecheck/client';
import type { SnapshotOptions } from '@tracecheck/lang';

/** `use: { tracecheck: { ... } }` in playwright.config.ts (or `test.use`). */
export interface TracecheckOptions {
  /** The receiver's HTTP URL; default `TRACECHECK_URL` (set by `tracecheckReceiver()` or `tracecheck run`). */
  url?: string;
  /** Bearer token; default `TRACECHECK_TOKEN`. */
  token?: string;
  /**
   * Origins whose requests get the run's `baggage`, `traceparent` and `tracestate` headers: a string
   * is an origin (`'http://127.0.0.1:3000'`; a URL is reduced to its origin), a RegExp is tested
   * against a request's origin (`/^https:\/\/[a-z-]+\.shop\.test$/`). Requests to every other origin
   * (analytics, CDNs, payment widgets) are left untouched. Default: the origin of `baseURL`, if set.
   */
  propagateTo?: (string | RegExp)[];
  /** Most time a check may wait, ms; default: Playwright's `expect` timeout (5 s unless configured). */
  timeout?: number;
  /** Quiet time before a settling check passes, ms (receiver default 300). */
  settle?: number;
  /** Most time a settling check waits for a parent span that has not arrived, ms (default 5000; 0: never). */
  parentCap?: number;
  /** Most time a settling check waits for the consumer of a message, ms (default 5000; 0: never). */
  consumerCap?: number;
  /** Most time a settling check waits for a span the SDK reported open, ms (default 5000; 0: never). */
  openCap?: number;
  /**
   * Leave each test's run on the receiver when the test ends (default false: it is closed, then
   * deleted). Set it under `tracecheck run --report`, whose report shows the runs' spans.
   */
  keepRuns?: boolean;
  /** Defaults of `toMatchEffectSnapshot`: payload paths to pin or ignore, effects to exclude, attributes to record. */
  snapshot?: SnapshotOptions;
}

/** Options of one `expect(run).toHold(assertion, options)`: they win over the fixture option's. */
export type ToHoldOptions = Pick<TracecheckOptions, 'timeout' | 'settle' | 'parentCap' | 'consumerCap' | 'openCap'>;

/** A predicate on request URLs: true for the origins the run's headers may go to; undefined when none may. */
export function originMatcher(propagateTo: readonly (string | RegExp)[] | undefined, baseURL: string | undefined): ((url: URL) => boolean) | undefined {
  const entries = propagateTo ?? (baseURL ? [baseURL] : []);
  const origins = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (entry instanceof RegExp) {
      // A global or sticky RegExp keeps state between tests; a plain copy does not.
      patterns.push(new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')));
      continue;
    }
    if (typeof entry !== 'string') throw new TypeError(`tracecheck.propagateTo: expected origins (strings) or RegExps, got ${String(entry)}`);
    let origin: string;
    try {
      origin = new URL(entry).origin;
    } catch {
      throw new TypeError(`tracecheck.propagateTo: '${entry}' is not an origin; write it with its scheme, e.g. 'http://127.0.0.1:3000'`);
    }
    if (origin === 'null') throw new TypeError(`tracecheck.propagateTo: '${entry}' has no origin (only http: and https: URLs do)`);
    origins.add(origin);
  }
  if (origins.size === 0 && patterns.length === 0) return undefined;
  return (url: URL) => origins.has(url.origin) || patterns.some((p) => p.test(url.origin));
}

/**
 * A request's headers with the run's added: the run id is appended to any `baggage` the page sent
 * (replacing a `test.run.id` member already there); a `traceparent` the page set (a browser
 * OpenTelemetry SDK) is kept, so its trace goes on, and then the run's `tracestate` entry is not
 * added (it names the parent in the run's own `traceparent`).
 */
export function withRunHeaders(existing: Record<string, string>, ours: RunHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(existing)) headers[name.toLowerCase()] = value;
  const members = (headers.baggage ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '' && !/^test\.run\.id\s*=/.test(m));
  headers.baggage = [...members, ours.baggage].join(',');
  if (headers.traceparent === undefined) {
    headers.traceparent = ours.traceparent;
    headers.tracestate = ours.tracestate;
  }
  return headers;
}

/** The check options of one `toHold`: its own, else the fixture option's, else Playwright's expect timeout. */
export function checkOptions(own: ToHoldOptions, fixture: TracecheckOptions, expectTimeout: number): Omit<CheckOptions, 'signal' | 'caller'> {
  const timeout = own.timeout ?? fixture.timeout ?? (expectTimeout > 0 ? expectTimeout : undefined);
  return definedOnly({
    timeoutMs: timeout,
    settleMs: own.settle ?? fixture.settle,
    parentCapMs: own.parentCap ?? fixture.parentCap,
    consumerCapMs: own.consumerCap ?? fixture.consumerCap,
    openCapMs: own.openCap ?? fixture.openCap,
  });
}

/** How closing the run at the end of a test waits for it to settle: the fixture option's settings. */
export function closeOptions(fixture: TracecheckOptions): CloseRunOptions {
  return definedOnly({
    settleMs: fixture.settle,
    parentCapMs: fixture.parentCap,
    consumerCapMs: fixture.consumerCap,
    openCapMs: fixture.openCap,
  });
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Where the check was made: the first stack frame in the test file (the `expect(run).toHold(...)`
 * line), else the test's own line.
 */
export function callerFrom(stack: string | undefined, file: string, fallbackLine: number, fallbackColumn: number): { line: number; column: number } {
  for (const line of (stack ?? '').split('\n')) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const path = m[1]!.startsWith('file://') ? decodeURIComponent(new URL(m[1]!).pathname) : m[1]!;
    if (path === file) return { line: Number(m[2]), column: Number(m[3]) };
  }
  return { line: fallbackLine, column: fallbackColumn };
}
