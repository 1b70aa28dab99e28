/**
 * Playwright Test fixtures: the `tracecheck` option and the automatic `run` fixture (one run per test,
 * its headers on the page's requests to your own origins, closed and deleted at the end).
 */
import { test as base, type TestInfo } from '@playwright/test';
import { newRunId, type OverturnedCheck, type TestRun, TracecheckClient } from '@tracecheck/client';
import { attachEvidence, displayPath } from './evidence.js';
import { closeOptions, type TracecheckOptions } from './options.js';
import { PlaywrightRun, propagateRun } from './run.js';

export interface TracecheckFixtures {
  /** This test's run: its id, `headers()` / `fetch()` for requests the test makes, `spans()`, `tree()`, `check()`. */
  run: TestRun;
}

export interface TracecheckOptionFixtures {
  /** Where the receiver is, which origins get the run's headers, and check timing. */
  tracecheck: TracecheckOptions;
}

/**
 * The error a test fails with when closing its run overturned passes: the explanations, the evidence
 * written, and a stack that points at the first overturned check's line in the test (not here).
 */
async function overturnedError(testInfo: TestInfo, run: PlaywrightRun, overturned: readonly OverturnedCheck[]): Promise<OverturnedCheckError> {
  const text = overturned.map((o) => o.message).join('\n\n');
  const paths = await attachEvidence(testInfo, run, 'overturned', text);
  const files = [paths.text, paths.spans].filter((p): p is string => p !== undefined).map(displayPath);
  const count = overturned.length === 1 ? 'a check that had passed was' : `${overturned.length} checks that had passed were`;
  const error = new OverturnedCheckError(`tracecheck: ${count} overturned when run ${run.id} was closed at the end of the test\n\n${text}\n\nEvidence: ${files.join(', ')} (attached to the test)`);
  const at = overturned.map((o) => run.settledAt(o.assertion)).find((l) => l !== undefined) ?? { file: testInfo.file, line: testInfo.line, column: testInfo.column };
  error.stack = `${error.name}: ${error.message}\n    at ${at.file}:${at.line}:${at.column}`;
  return error;
}

/** Thrown in the teardown of a test whose settled pass the whole run contradicted. */
export class OverturnedCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverturnedCheckError';
  }
}

export const test = base.extend<TracecheckFixtures & TracecheckOptionFixtures>({
  tracecheck: [{}, { option: true }],

  run: [
    async ({ tracecheck }, use, testInfo) => {
      const client = new TracecheckClient({ ...(tracecheck.url ? { url: tracecheck.url } : {}), ...(tracecheck.token ? { token: tracecheck.token } : {}) });
      const run = new PlaywrightRun(client, newRunId(testInfo.title), tracecheck);
      await use(run);
      try {
        // Only a pass by settling can be overturned: without one, closing (which waits for the run
        // to be quiet) has nothing to decide again.
        if (run.settledPasses.length > 0) await run.close(closeOptions(tracecheck));
        // Also what closes during the test (an effect snapshot's) overturned.
        if (run.overturned.length > 0) throw await overturnedError(testInfo, run, run.overturned);
      } finally {
        // Deleting frees the receiver's memory (and re-verifies checks made without this fixture).
        if (!tracecheck.keepRuns) await client.deleteRun(run.id).catch(() => undefined);
      }
    },
    { auto: true, box: true },
  ],

  context: async ({ context, run, tracecheck, baseURL }, use) => {
    await propagateRun(context, run, tracecheck.propagateTo, baseURL);
    await use(context);
  },
});
