import { applyPayloadSchemas, BuiltAssertion, type Overturn, type Verdict, type WaitRecord } from '@tracecheck/lang';
import { type JsonSpan, type RunSummaryJson, type Span, spansFromJson } from '@tracecheck/model';
import { type AssertionErrorBody, AssertionSyntaxError } from './assertion-error.js';
import { MissingUrlError, ReceiverHttpError, ReceiverUnreachableError } from './errors.js';

export interface ClientOptions {
  /** The receiver's HTTP URL; default `TRACECHECK_URL`. */
  url?: string;
  /** Bearer token; default `TRACECHECK_TOKEN`. */
  token?: string;
}

/** A run as `GET /api/runs` lists it. */
export type RunInfo = RunSummaryJson;

export interface CheckOptions {
  /** How long the receiver may wait for the check to be decided (default: the receiver's, 10 s). */
  timeoutMs?: number;
  /** Quiet time before a settling check passes (default: the receiver's, 300 ms). */
  settleMs?: number;
  /** Most time a settling check waits for a parent span that has not arrived (default 5 s; 0: never). */
  parentCapMs?: number;
  /** Most time a settling check waits for the consumer of a PRODUCER span (default 5 s; 0: never). */
  consumerCapMs?: number;
  /** Most time a settling check waits for a span the SDK reported open (default 5 s; 0: never). */
  openCapMs?: number;
  /** Stops waiting: the request is cancelled and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The test making the check, for reports (`tracecheck run`'s JUnit file names it). */
  caller?: { file?: string; line?: number; column?: number; test?: string };
}

/** In-flight work a settling check waited for, and how the wait ended. */
export type WaitedFor = WaitRecord;

/** The verdict of a check: data (see `Verdict` in @tracecheck/lang), its text in `message`. */
export type CheckVerdict = Verdict;

/** A settled pass that the end of its run contradicted. */
export type OverturnedCheck = Overturn;

/** What closing a run answers. */
export interface CloseRunResult {
  run: string;
  settled: boolean;
  waitedMs: number;
  waitedFor: WaitedFor[];
  checks: number;
  overturned: OverturnedCheck[];
}

/** How long closing a run may wait for it to settle; the same caps as checks. */
export type CloseRunOptions = Omit<CheckOptions, 'caller'>;

/** Most matches asked for when payload schemas must see every match. */
const PAYLOAD_MATCHES = 10_000;

/** Talks to a tracecheck receiver over its HTTP query API. */
export class TracecheckClient {
  readonly url: string;
  private readonly token: string | undefined;

  constructor(options: ClientOptions = {}) {
    const url = options.url ?? process.env.TRACECHECK_URL;
    if (!url) throw new MissingUrlError();
    this.url = url.replace(/\/+$/, '');
    this.token = options.token ?? (process.env.TRACECHECK_TOKEN || undefined);
  }

  /** Every run the receiver holds. */
  runs(): Promise<RunInfo[]> {
    return this.request<RunInfo[]>('GET', '/api/runs');
  }

  /** The spans of a run, tagged and inherited, as model spans ([] for an unknown run). */
  async spans(runId: string): Promise<Span[]> {
    const body = await this.request<{ run: string; spans: JsonSpan[] }>('GET', `/api/runs/${encodeURIComponent(runId)}/spans`);
    return spansFromJson(body.spans);
  }

  /**
   * Ends a run: the receiver waits for it to settle, then decides every check that passed by
   * settling again. `overturned` lists those the whole run contradicts (false passes caught); test
   * integrations call it in teardown and fail the test on any.
   */
  closeRun(runId: string, options: CloseRunOptions = {}): Promise<CloseRunResult> {
    const { signal, ...rest } = options;
    return this.request<CloseRunResult>('POST', `/api/runs/${encodeURIComponent(runId)}/close`, rest, [200], signal);
  }

  /**
   * Tells the receiver that an effect snapshot of the run was taken, naming the effects it covers
   * (`name (svc service)`), so `tracecheck run`'s report counts them as guarded.
   */
  async recordSnapshot(runId: string, effects: readonly string[]): Promise<void> {
    await this.request('POST', `/api/runs/${encodeURIComponent(runId)}/snapshot`, { effects });
  }

  /** Frees a run's spans on the receiver (test integrations call it when a test ends). */
  async deleteRun(runId: string): Promise<void> {
    await this.request('DELETE', `/api/runs/${encodeURIComponent(runId)}`, undefined, [204, 404]);
  }

  /**
   * Asks the receiver to decide an assertion on a run; resolves with the verdict, pass or fail. The
   * assertion is text or a builder assertion: a builder's payload schemas cannot travel, so the
   * receiver decides the structure and the schemas run here on the matches (`applyPayloadSchemas`).
   * A syntax or checker error rejects with an AssertionSyntaxError (line, column, caret, expected).
   */
  async check(runId: string, assertion: string | BuiltAssertion, options: CheckOptions = {}): Promise<CheckVerdict> {
    const text = typeof assertion === 'string' ? assertion : String(assertion);
    const payloads = assertion instanceof BuiltAssertion && assertion.payloads.length > 0;
    const { signal, ...rest } = options;
    const body = { run: runId, assertion: text, ...rest, ...(payloads ? { maxMatches: PAYLOAD_MATCHES } : {}) };
    let verdict: CheckVerdict;
    try {
      verdict = await this.request<CheckVerdict>('POST', '/api/check', body, [200], signal);
    } catch (err) {
      const error = err instanceof ReceiverHttpError && err.status === 400 ? (err.body as { error?: AssertionErrorBody })?.error : undefined;
      // The language's errors always say what was expected; request-shape errors (BAD_REQUEST) do not.
      if (error !== undefined && Array.isArray(error.expected)) throw new AssertionSyntaxError(text, error);
      throw err;
    }
    if (!payloads) return verdict;
    const final = applyPayloadSchemas(verdict, assertion as BuiltAssertion);
    // The receiver decided the structure only; tell it how the schemas ended it, for its reports.
    if (verdict.checkId !== undefined && (final.pass !== verdict.pass || final.payloadFailures.length > 0)) {
      await this.request('POST', `/api/checks/${verdict.checkId}/payload`, { pass: final.pass, message: final.message, payloadFailures: final.payloadFailures }).catch(() => undefined);
    }
    return final;
  }

  /** Like `check`, but rejects with a CheckFailedError carrying the verdict when the check fails. */
  async waitFor(runId: string, assertion: string | BuiltAssertion, options: CheckOptions = {}): Promise<CheckVerdict> {
    const verdict = await this.check(runId, assertion, options);
    if (!verdict.pass) throw new CheckFailedError(verdict);
    return verdict;
  }

  private async request<T>(method: string, path: string, body?: unknown, okStatuses: number[] = [200], signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), ...(signal === undefined ? {} : { signal }) });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new ReceiverUnreachableError(this.url, err);
    }
    const text = await res.text().catch((err: unknown) => {
      if (signal?.aborted) throw signal.reason;
      throw err;
    });
    const parsed: unknown = text === '' ? undefined : safeJson(text);
    if (!okStatuses.includes(res.status)) {
      const detail = (parsed as { error?: { message?: string } })?.error?.message ?? text.slice(0, 500);
      throw new ReceiverHttpError(res.status, parsed, `${method} ${path} answered ${res.status}: ${detail}`);
    }
    return parsed as T;
  }
}

/** A check that did not hold; `message` is the receiver's full diagnostic. */
export class CheckFailedError extends Error {
  readonly code = 'CHECK_FAILED';
  constructor(readonly verdict: CheckVerdict) {
    super(verdict.message);
    this.name = 'CheckFailedError';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
