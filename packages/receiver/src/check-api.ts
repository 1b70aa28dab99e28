import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkRun, LangError, storeRunSource } from '@tracecheck/lang';
import type { SpanStore } from '@tracecheck/model';
import { readBody } from './body.js';
import { HttpError } from './http-error.js';
import type { ReceiverLimits } from './limits.js';
import { sendJson } from './respond.js';

/** What the check endpoint needs from its receiver. */
export interface CheckContext {
  readonly store: SpanStore;
  readonly limits: ReceiverLimits;
  readonly onCheck?: ((record: CheckRecord) => void) | undefined;
}

/** A check request is a few lines of text; anything much bigger is a mistake. */
const MAX_CHECK_BODY_BYTES = 256 * 1024;

interface CheckBody {
  run: string;
  assertion: string;
  timeoutMs?: number;
  settleMs?: number;
}

function parseCheckBody(raw: Buffer, limits: ReceiverLimits): CheckBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'BAD_JSON', `request body is not JSON: ${(err as Error).message}`);
  }
  const b = body as Partial<Record<keyof CheckBody, unknown>> | null;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new HttpError(400, 'BAD_REQUEST', 'expected a JSON object {run, assertion, timeoutMs?, settleMs?}');
  if (typeof b.run !== 'string' || b.run === '') throw new HttpError(400, 'BAD_REQUEST', '"run" must be a non-empty string (the run id)');
  if (typeof b.assertion !== 'string' || b.assertion.trim() === '') throw new HttpError(400, 'BAD_REQUEST', '"assertion" must be a non-empty string');
  const ms = (key: 'timeoutMs' | 'settleMs'): number | undefined => {
    const v = b[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new HttpError(400, 'BAD_REQUEST', `"${key}" must be a non-negative number of milliseconds`);
    if (v > limits.maxCheckTimeoutMs) throw new HttpError(400, 'BAD_REQUEST', `"${key}" is over maxCheckTimeoutMs (${limits.maxCheckTimeoutMs})`);
    return v;
  };
  return { run: b.run, assertion: b.assertion, timeoutMs: ms('timeoutMs'), settleMs: ms('settleMs') };
}

/** One decided check, as `ReceiverOptions.onCheck` hears of it. */
export interface CheckRecord {
  run: string;
  assertion: string;
  pass: boolean;
  reason: string;
  waitedMs: number;
  message: string;
  /** When the verdict was given, ms since the epoch. */
  decidedAt: number;
}

/**
 * `POST /api/check`: decides an assertion on a run, waiting as DESIGN.md's "Deciding" says, and
 * answers 200 with the verdict (pass or fail), or 400 with the syntax or checker error and its
 * position. A client that disconnects stops the wait.
 */
export async function handleCheck(req: IncomingMessage, res: ServerResponse, ctx: CheckContext): Promise<void> {
  const body = parseCheckBody(await readBody(req, MAX_CHECK_BODY_BYTES), ctx.limits);
  const aborted = new AbortController();
  const onClose = (): void => aborted.abort();
  res.on('close', onClose);
  try {
    const result = await checkRun(storeRunSource(ctx.store, body.run), body.assertion, { timeoutMs: body.timeoutMs, settleMs: body.settleMs, signal: aborted.signal });
    sendJson(req, res, 200, result.json);
    const { pass, reason, waitedMs, message } = result.json;
    try {
      ctx.onCheck?.({ run: body.run, assertion: result.assertion, pass, reason, waitedMs, message, decidedAt: Date.now() });
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
