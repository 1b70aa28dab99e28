/**
 * The worker's side: the receiver the global setup provided, a client for it, and `VitestRun`, the
 * `TestRun` a test gets as its `run` fixture (it remembers its test and when it started).
 */
import { DEFAULT_TIMEOUT_MS } from '@tracecheck/lang';
import { TestRun, TracecheckClient } from '@tracecheck/client';
import { inject, type TestContext } from 'vitest';
import { fetchServiceLogs, renderServiceLogs } from './log-server.js';
import type { ProvidedRun } from './options.js';
import './provided.js';

/** The receiver and defaults for this worker: the global setup's, else `TRACECHECK_URL`. */
export function providedRun(): ProvidedRun | undefined {
  let provided: ProvidedRun | undefined;
  try {
    provided = inject('tracecheck');
  } catch {
    provided = undefined;
  }
  if (provided !== undefined) return provided;
  const url = process.env.TRACECHECK_URL;
  if (!url) return undefined;
  const token = process.env.TRACECHECK_TOKEN || undefined;
  return { url, ...(token === undefined ? {} : { token }), defaults: { timeoutMs: DEFAULT_TIMEOUT_MS }, keepRuns: true, annotate: true };
}

export class NoReceiverError extends Error {
  constructor() {
    super(
      'tracecheck: no receiver for this test run. Add the plugin to vitest.config.ts (plugins: [tracecheck()] from @tracecheck/vitest/plugin), ' +
        'or list @tracecheck/vitest/global-setup in test.globalSetup, or set TRACECHECK_URL (tracecheck run does).',
    );
    this.name = 'NoReceiverError';
  }
}

const clients = new Map<string, TracecheckClient>();

export function clientFor(provided: ProvidedRun): TracecheckClient {
  const key = `${provided.url} ${provided.token ?? ''}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = new TracecheckClient({ url: provided.url, ...(provided.token === undefined ? {} : { token: provided.token }) });
    clients.set(key, client);
  }
  return client;
}

/** A test's run: a `TestRun` that knows its test. */
export class VitestRun extends TestRun {
  /** When the test started (ms since the epoch): service logs are shown from here. */
  readonly startedAt = Date.now();
  /** A failure of this test already showed the service logs (the matcher's message does). */
  logsShown = false;

  constructor(
    client: TracecheckClient,
    id: string,
    /** The receiver and defaults the run was made with. */
    readonly provided: ProvidedRun,
    /** The Vitest test context (for annotations and the test's timing); undefined outside a test. */
    readonly context: TestContext | undefined,
  ) {
    super(client, id);
  }

  /** What the services of the test run logged since this test started, as text ('' when none). */
  async serviceLogs(): Promise<string> {
    const logs = this.provided.logs;
    if (logs === undefined) return '';
    return renderServiceLogs(await fetchServiceLogs(logs, this.startedAt, logs.showBytes), logs.showBytes);
  }
}

export function isTestRun(value: unknown): value is TestRun {
  return value instanceof TestRun || (typeof value === 'object' && value !== null && typeof (value as TestRun).id === 'string' && typeof (value as TestRun).check === 'function');
}
