import { type JsonSpan, type Span, spansFromJson } from '@tracecheck/model';
import { MissingUrlError, ReceiverHttpError, ReceiverUnreachableError } from './errors.js';

export interface ClientOptions {
  /** The receiver's HTTP URL; default `TRACECHECK_URL`. */
  url?: string;
  /** Bearer token; default `TRACECHECK_TOKEN`. */
  token?: string;
}

/** A run as `GET /api/runs` lists it. */
export interface RunInfo {
  id: string;
  spans: number;
  traces: number;
  firstSeen: string;
  lastSeen: string;
}

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
}

/** In-flight work a settling check waited for, and how the wait ended. */
export interface WaitedFor {
  kind: 'parent' | 'consumer' | 'open';
  description: string;
  waitedMs: number;
  outcome: 'arrived' | 'cap' | 'pending';
  capMs: number;
}

/** The verdict of `POST /api/check`. */
export interface CheckVerdict {
  pass: boolean;
  message: string;
  waitedMs: number;
  reason: string;
  matches: unknown[];
  nearMisses: unknown[];
  /** What a settling check waited for (open parents, unconsumed messages, open spans). */
  waitedFor: WaitedFor[];
  /** E.g. a passing `no` check naming a span no run ever had (a likely typo). */
  warnings: string[];
}

/** A settled pass that the end of its run contradicted. */
export interface OverturnedCheck {
  runId: string;
  assertion: string;
  passedAt: number;
  overturnedAt: number;
  passedAfterMs: number;
  by: unknown;
  byAtMs: number | undefined;
  message: string;
}

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
export type CloseRunOptions = CheckOptions;

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
    return this.request<CloseRunResult>('POST', `/api/runs/${encodeURIComponent(runId)}/close`, options);
  }

  /** Frees a run's spans on the receiver (test integrations call it when a test ends). */
  async deleteRun(runId: string): Promise<void> {
    await this.request('DELETE', `/api/runs/${encodeURIComponent(runId)}`, undefined, [204, 404]);
  }

  /**
   * Asks the receiver to decide an assertion on a run; resolves with the verdict, pass or fail.
   * A syntax or checker error rejects with a ReceiverHttpError whose body holds line and column.
   */
  check(runId: string, assertion: string, options: CheckOptions = {}): Promise<CheckVerdict> {
    return this.request<CheckVerdict>('POST', '/api/check', { run: runId, assertion, ...options });
  }

  /** Like `check`, but rejects with a CheckFailedError carrying the verdict when the check fails. */
  async waitFor(runId: string, assertion: string, options: CheckOptions = {}): Promise<CheckVerdict> {
    const verdict = await this.check(runId, assertion, options);
    if (!verdict.pass) throw new CheckFailedError(verdict);
    return verdict;
  }

  private async request<T>(method: string, path: string, body?: unknown, okStatuses: number[] = [200]): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ReceiverUnreachableError(this.url, err);
    }
    const text = await res.text();
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
