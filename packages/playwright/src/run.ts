/**
 * The run the `run` fixture hands a test: a `TestRun` (from @tracecheck/client) that also remembers
 * the test's tracecheck options and whether a check passed by settling (only those can be overturned
 * when the run is closed), and the routing that puts its headers on the page's requests.
 */
import { resolve } from 'node:path';
import type { BrowserContext, Route } from '@playwright/test';
import { TestRun, type CheckOptions, type CheckVerdict, type OverturnedCheck, type TracecheckClient } from '@tracecheck/client';
import type { BuiltAssertion } from '@tracecheck/lang';
import { originMatcher, type TracecheckOptions, withRunHeaders } from './options.js';

/** Where a check was made: the test file (absolute), line and column. */
export interface CheckLocation {
  file: string;
  line: number;
  column: number;
}

export class PlaywrightRun extends TestRun {
  /** Checks of this run that passed by settling (closing the run decides them again), with where they were made. */
  readonly settledPasses: { assertion: string; location: CheckLocation | undefined }[] = [];
  /** Overturns found when the run was closed during the test (an effect snapshot closes it). */
  readonly overturned: OverturnedCheck[] = [];

  constructor(
    client: TracecheckClient,
    id: string,
    readonly options: TracecheckOptions,
  ) {
    super(client, id);
  }

  override async check(assertion: string | BuiltAssertion, options: CheckOptions = {}): Promise<CheckVerdict> {
    const verdict = await super.check(assertion, options);
    if (verdict.pass && verdict.reason === 'settled') {
      const c = options.caller;
      const location = c?.file !== undefined && c.line !== undefined ? { file: resolve(c.file), line: c.line, column: c.column ?? 1 } : undefined;
      this.settledPasses.push({ assertion: verdict.assertion, location });
    }
    return verdict;
  }
}

/**
 * Adds the run's `baggage`, `traceparent` and `tracestate` to the requests of `context` that go to
 * the origins in `propagateTo` (default: `baseURL`'s), and to no others: a route whose URL predicate
 * matches only those origins, so requests elsewhere are not even intercepted. The route falls back
 * (`route.fallback`), so routes the test registers later still see the request; a later route that
 * calls `route.continue()` itself sends it without the run's headers.
 *
 * The `run` fixture does this for the test's `context` (and so `page`); call it for a context the test
 * makes itself (`browser.newContext()`).
 */
export async function propagateRun(context: BrowserContext, run: TestRun, propagateTo: readonly (string | RegExp)[] | undefined, baseURL?: string): Promise<void> {
  const matches = originMatcher(propagateTo, baseURL);
  // No origin to send the run to: no route, so Playwright does not intercept the context's requests.
  if (matches === undefined) return;
  await context.route(matches, async (route: Route) => {
    await route.fallback({ headers: withRunHeaders(route.request().headers(), run.headers()) });
  });
}
