/**
 * One test's run, as the test integrations hand it to a test: a fresh run id, the headers that tag a
 * request with it, `fetch` that sends them, the run's spans and trace tree, checks, and closing the
 * run at the end (where settled passes are re-verified). Vitest's and Playwright's `run` fixtures
 * are this object; a test for any other runner can use it directly.
 */
import { randomBytes } from 'node:crypto';
import { buildRunGraph, type BuiltAssertion, renderTree } from '@tracecheck/lang';
import type { Span } from '@tracecheck/model';
import type { CheckOptions, CheckVerdict, CloseRunOptions, CloseRunResult, OverturnedCheck, TracecheckClient } from './client.js';
import { type RunHeaders, runHeaders } from './run-headers.js';

/** A run id for a test: its name made safe and short, then random, so parallel runs never collide. */
export function newRunId(name = 'run'): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${slug}-${randomBytes(4).toString('hex')}`;
}

/** A check of the run that passed by settling: closing the run decides it again. */
export interface SettledPass {
  readonly assertion: string;
  /** Where the check was made, as given in its options. */
  readonly caller: CheckOptions['caller'];
}

export class TestRun {
  /** One trace for the whole test: its requests are roots of the same trace. */
  private readonly traceId = randomBytes(16).toString('hex');
  /** Checks that passed by settling: only those can be overturned, so only then is closing worth it. */
  readonly settledPasses: SettledPass[] = [];
  /** What closing the run overturned, over every close (a snapshot closes it during the test too). */
  readonly overturned: OverturnedCheck[] = [];

  constructor(
    readonly client: TracecheckClient,
    readonly id: string = newRunId(),
  ) {
    // Passed on as callbacks (`fetcher: run.fetch`), the methods keep their run.
    this.headers = this.headers.bind(this);
    this.fetch = this.fetch.bind(this);
    this.spans = this.spans.bind(this);
    this.tree = this.tree.bind(this);
    this.check = this.check.bind(this);
    this.close = this.close.bind(this);
  }

  /**
   * Headers that tag a request with this run: `baggage` with the run id, a `traceparent` in the
   * run's trace, and the `tracestate` entry that marks that parent as the test's own (deciding does
   * not wait for it, structural operators treat the span under it as a root).
   */
  headers(): RunHeaders {
    return runHeaders(this.id, { traceId: this.traceId });
  }

  /** `fetch` with this run's headers added (headers already in `init` win, except `baggage`, which is merged). */
  fetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    const ours = this.headers();
    const baggage = headers.get('baggage');
    headers.set('baggage', baggage ? `${baggage},${ours.baggage}` : ours.baggage);
    if (!headers.has('traceparent')) {
      headers.set('traceparent', ours.traceparent);
      headers.set('tracestate', ours.tracestate);
    }
    return fetch(input, { ...init, headers });
  }

  /** The run's spans so far (tagged and inherited). */
  spans(): Promise<Span[]> {
    return this.client.spans(this.id);
  }

  /** The run's trace tree as text (one line per span), as a failing verdict shows it. */
  async tree(options: { maxLines?: number } = {}): Promise<string> {
    const spans = await this.spans();
    if (spans.length === 0) return `(run ${this.id} has no spans yet)`;
    return renderTree(buildRunGraph(spans), { maxLines: options.maxLines ?? 200 }, 0).join('\n');
  }

  /** Decides an assertion on this run (see `TracecheckClient.check`); a pass by settling is remembered. */
  async check(assertion: string | BuiltAssertion, options: CheckOptions = {}): Promise<CheckVerdict> {
    const verdict = await this.client.check(this.id, assertion, options);
    if (verdict.pass && verdict.reason === 'settled') this.settledPasses.push({ assertion: verdict.assertion, caller: options.caller });
    return verdict;
  }

  /**
   * Ends the run: waits for it to settle and re-verifies its settled passes (see `closeRun`); what it
   * overturned is also added to `overturned`.
   */
  async close(options: CloseRunOptions = {}): Promise<CloseRunResult> {
    const closed = await this.client.closeRun(this.id, options);
    this.overturned.push(...closed.overturned);
    return closed;
  }
}
