/**
 * `test`: Vitest's `test` with a `run` fixture. Each test that asks for `run` gets a fresh run (an id
 * made from the test's name), and when the test ends its run is closed: if a check passed by
 * settling, the receiver waits for the run to settle and decides those checks again on the whole
 * run; an overturned pass fails the test (an error thrown in a fixture's teardown fails its test).
 * Then the run is deleted from the receiver to free its memory (unless runs are kept).
 *
 * A test that failed for another reason than a check gets one more error with what the services
 * logged while it ran (a check's own failure already shows them).
 */
import { newRunId, type OverturnedCheck } from '@tracecheck/client';
import { test as base, type TestAPI, type TestContext } from 'vitest';
import { registerMatchers } from './matcher.js';
import type { ProvidedRun } from './options.js';
import { clientFor, NoReceiverError, providedRun, VitestRun } from './run.js';

registerMatchers();

export interface TracecheckFixtures {
  /** This test's run: `run.id`, `run.headers()`, `run.fetch()`, `run.spans()`, `run.tree()`, `run.check()`. */
  run: VitestRun;
}

/** A check that had passed by settling and that the end of the test's run contradicted. */
export class OverturnedCheckError extends Error {
  constructor(
    readonly runId: string,
    readonly overturned: readonly OverturnedCheck[],
    logs: string,
  ) {
    const what = overturned.length === 1 ? 'a check of this test passed, and the end of its run overturned it' : `${overturned.length} checks of this test passed, and the end of its run overturned them`;
    super([`tracecheck: ${what} (run ${runId}):`, '', ...overturned.map((o) => o.message), ...(logs ? ['', logs] : [])].join('\n'));
    this.name = 'OverturnedCheckError';
    // The teardown's frames say nothing about the test; the message says it all.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** What the services logged while a test that failed for another reason ran. */
export class ServiceLogsError extends Error {
  constructor(logs: string) {
    super(`the test failed; ${logs.charAt(0).toLowerCase()}${logs.slice(1)}`);
    this.name = 'ServiceLogs';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The `run` fixture's body, for a test context and the receiver the worker was given. */
export async function runFixture(context: TestContext, use: (run: VitestRun) => Promise<void>, provided: ProvidedRun | undefined = providedRun()): Promise<void> {
  if (provided === undefined) throw new NoReceiverError();
  const client = clientFor(provided);
  const run = new VitestRun(client, newRunId(context.task.name), provided, context);
  const errors: unknown[] = [];
  // What the teardown finds fails the test from an onTestFinished hook, which runs after fixture
  // teardowns: Vitest 4.1 reports an error thrown by a fixture's teardown twice.
  const deferred = typeof context.onTestFinished === 'function';
  if (deferred) context.onTestFinished(() => raise(errors));
  await use(run);

  const { timeoutMs, ...rest } = provided.defaults;
  try {
    // `run.overturned` also holds what closes during the test (an effect snapshot's) overturned.
    if (run.settledPasses.length > 0) await run.close({ timeoutMs, ...rest });
    if (run.overturned.length > 0) errors.push(new OverturnedCheckError(run.id, run.overturned, await run.serviceLogs().catch(() => '')));
  } catch (err) {
    errors.push(err);
  } finally {
    if (!provided.keepRuns) await client.deleteRun(run.id).catch(() => {});
  }
  if (errors.length === 0 && context.task.result?.state === 'fail' && !run.logsShown && provided.logs?.onEveryFailure) {
    const logs = await run.serviceLogs().catch(() => '');
    if (logs !== '') errors.push(new ServiceLogsError(logs));
  }
  if (!deferred) raise(errors);
}

function raise(errors: readonly unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'tracecheck: closing the test’s run failed');
}

/** Vitest's `test` with the `run` fixture. */
export const test: TestAPI<TracecheckFixtures> = base.extend<TracecheckFixtures>({
  // Vitest reads the fixtures a function uses from its destructured first parameter.
  run: async ({ task }, use) => runFixture(task.context, use),
});

export const it = test;
