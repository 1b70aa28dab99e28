/**
 * The run the `run` fixture hands a test: a `TestRun` (from @tracecheck/client) that also remembers
 * the test's tracecheck options, and the routing that puts its headers on the page's requests.
 */
import { resolve } from 'node:path';
import type { BrowserContext, Route } from '@playwright/test';
import { TestRun, type TracecheckClient } from '@tracecheck/client';
import { originMatcher, type TracecheckOptions, withRunHeaders } from './options.js';

/** Where a check was made: the test file (absolute), line and column. */
export interface CheckLocation {
  file: string;
  line: number;
  column: number;
}

export class PlaywrightRun extends TestRun {
  constructor(
    client: TracecheckClient,
    id: string,
    readonly options: TracecheckOptions,
  ) {
    super(client, id);
  }

  /** Where the settled pass of `assertion` was made, if its check said. */
  settledAt(assertion: string): CheckLocation | undefined {
    const c = this.settledPasses.find((p) => p.assertion === assertion)?.caller;
    return c?.file !== undefined && c.line !== undefined ? { file: resolve(c.file), line: c.line, column: c.column ?? 1 } : undefined;
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
