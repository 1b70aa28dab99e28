import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CheckJson, checkRun, LangError, storeRunSource, type WaitRecord } from '@tracecheck/lang';
import type { OpenSpans, SpanSource } from '@tracecheck/model';
import { DEFAULT_SETTLE_MS } from '@tracecheck/lang';
import { readBody } from './body.js';
import { type DecideTimes, decideOptions, parseDecideTimes, parseJsonObject } from './decide-times.js';
import { HttpError } from './http-error.js';
import type { ReceiverLimits } from './limits.js';
import { sendJson } from './respond.js';
import type { RunLifecycle } from './run-end.js';

/** What the check endpoint needs from its receiver. */
export interface CheckContext {
  readonly store: SpanSource;
  readonly openSpans: OpenSpans;
  readonly lifecycle: RunLifecycle;
  readonly limits: ReceiverLimits;
  readonly onCheck?: ((record: CheckRecord) => void) | undefined;
}

/** A check request is a few lines of text; anything much bigger is a mistake. */
const MAX_CHECK_BODY_BYTES = 256 * 1024;

interface CheckBody extends DecideTimes {
  run: string;
  assertion: string;
  caller?: CheckCaller;
  maxMatches?: number;
}

/** Most matches a verdict may list (`maxMatches`): a client checking payload schemas needs them all. */
export const MAX_MATCHES_LIMIT = 10_000;

function parseCaller(v: unknown): CheckCaller | undefined {
  if (v === undefined) return undefined;
  const c = v as Record<string, unknown> | null;
  const bad = (): never => {
    throw new HttpError(400, 'BAD_REQUEST', '"caller" must be {file?: string, line?: int, column?: int, test?: string}');
  };
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return bad();
  const out: CheckCaller = {};
  for (const k of ['file', 'test'] as const) {
    if (c[k] === undefined) continue;
    if (typeof c[k] !== 'string' || (c[k] as string).length > 4096) return bad();
    out[k] = c[k] as string;
  }
  for (const k of ['line', 'column'] as const) {
    if (c[k] === undefined) continue;
    if (!Number.isSafeInteger(c[k]) || (c[k] as number) < 0) return bad();
    out[k] = c[k] as number;
  }
  return out;
}

function parseCheckBody(raw: Buffer, limits: ReceiverLimits): CheckBody {
  const b = parseJsonObject(raw, '{run, assertion, timeoutMs?, settleMs?, parentCapMs?, consumerCapMs?, openCapMs?, caller?, maxMatches?}');
  if (typeof b.run !== 'string' || b.run === '') throw new HttpError(400, 'BAD_REQUEST', '"run" must be a non-empty string (the run id)');
  if (typeof b.assertion !== 'string' || b.assertion.trim() === '') throw new HttpError(400, 'BAD_REQUEST', '"assertion" must be a non-empty string');
  const caller = parseCaller(b.caller);
  const max = b.maxMatches;
  if (max !== undefined && (!Number.isSafeInteger(max) || (max as number) < 1 || (max as number) > MAX_MATCHES_LIMIT)) {
    throw new HttpError(400, 'BAD_REQUEST', `"maxMatches" must be an integer from 1 to ${MAX_MATCHES_LIMIT}`);
  }
  return { run: b.run, assertion: b.assertion, ...parseDecideTimes(b, limits), ...(caller === undefined ? {} : { caller }), ...(max === undefined ? {} : { maxMatches: max as number }) };
}

/** One decided check, as `ReceiverOptions.onCheck` hears of it. */
export interface CheckRecord {
  /** Numbers the receiver's checks; an overturn names the check by it. */
  id: number;
  run: string;
  assertion: string;
  pass: boolean;
  reason: string;
  waitedMs: number;
  message: string;
  /** When the verdict was given, ms since the epoch. */
  decidedAt: number;
  waitedFor: readonly WaitRecord[];
  warnings: readonly string[];
  /** The whole verdict as the client got it (matches, nearest misses, ...), for reports. */
  verdict: CheckJson;
  /** Where the check was made, when the client said (a test integration knows its test). */
  caller?: CheckCaller;
}

/** The test that made a check: `POST /api/check`'s optional `caller`. */
export interface CheckCaller {
  file?: string;
  line?: number;
  column?: number;
  test?: string;
}

let nextCheckId = 1;

/**
 * `POST /api/check`: decides an assertion on a run, waiting as docs/language.md's "Deciding" says, and
 * answers 200 with the verdict (pass or fail), or 400 with the syntax or checker error and its
 * position. A client that disconnects stops the wait.
 */
export async function handleCheck(req: IncomingMessage, res: ServerResponse, ctx: CheckContext): Promise<void> {
  const body = parseCheckBody(await readBody(req, MAX_CHECK_BODY_BYTES), ctx.limits);
  const aborted = new AbortController();
  const onClose = (): void => aborted.abort();
  res.on('close', onClose);
  try {
    const result = await checkRun(storeRunSource(ctx.store, body.run, ctx.openSpans), body.assertion, { ...decideOptions(body), signal: aborted.signal, ...(body.maxMatches === undefined ? {} : { maxMatches: body.maxMatches }) });
    const id = nextCheckId++;
    rememberAmendable(id);
    ctx.lifecycle.recordCheck(body.run, result, body.settleMs ?? DEFAULT_SETTLE_MS, id);
    sendJson(req, res, 200, { ...result.json, checkId: id });
    const { pass, reason, waitedMs, message, waitedFor, warnings } = result.json;
    try {
      ctx.onCheck?.({ id, run: body.run, assertion: result.assertion, pass, reason, waitedMs, message, decidedAt: Date.now(), waitedFor, warnings, verdict: result.json, ...(body.caller === undefined ? {} : { caller: body.caller }) });
    } catch {
      // The listener's failure is its own; the client already has its verdict.
    }
  } catch (err) {
    if (err instanceof LangError) {
      sendJson(req, res, 400, { error: err.toJSON() });
      return;
    }
    throw err;
  } finally {
    res.off('close', onClose);
  }
}

/** A check whose verdict the client changed: payload schemas it ran on the matches failed. */
export interface CheckAmendment {
  id: number;
  pass: boolean;
  message: string;
  payloadFailures: unknown[];
}

/** Checks whose verdicts the receiver gave, by id, so an amendment can name one (bounded). */
const MAX_AMENDABLE = 10_000;
const amendable = new Set<number>();

export function rememberAmendable(id: number): void {
  amendable.add(id);
  if (amendable.size > MAX_AMENDABLE) amendable.delete(amendable.values().next().value as number);
}

/**
 * `POST /api/checks/{id}/payload` with `{pass, message, payloadFailures}`: a client that checked
 * payload schemas on a check's matches (schemas cannot travel to the receiver) reports the final
 * verdict, so `tracecheck run`'s report shows the check as the test saw it.
 */
export async function handleAmend(req: IncomingMessage, res: ServerResponse, ctx: { onCheckAmend?: ((a: CheckAmendment) => void) | undefined }, idText: string): Promise<void> {
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || !amendable.has(id)) throw new HttpError(404, 'NOT_FOUND', `no check ${idText} to amend`);
  const b = parseJsonObject(await readBody(req, MAX_CHECK_BODY_BYTES), '{pass, message, payloadFailures}');
  if (typeof b.pass !== 'boolean' || typeof b.message !== 'string' || !Array.isArray(b.payloadFailures)) {
    throw new HttpError(400, 'BAD_REQUEST', 'expected {pass: boolean, message: string, payloadFailures: [...]}');
  }
  try {
    ctx.onCheckAmend?.({ id, pass: b.pass, message: b.message, payloadFailures: b.payloadFailures });
  } catch {
    // The listener's failure is its own.
  }
  sendJson(req, res, 200, { id, pass: b.pass });
}
