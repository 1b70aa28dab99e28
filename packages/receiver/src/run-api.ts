/**
 * The run endpoints beyond the query API:
 * - `POST /api/runs/{id}/close`: the run ended (a test's teardown); wait for it to settle, decide its
 *   settled passes again, answer with any that flipped;
 * - `POST /api/open-spans`: @tracecheck/sdk's report of run-tagged spans started and not yet ended,
 *   so deciding can wait for work that OTLP cannot show until it ends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenSpanReport } from '@tracecheck/model';
import { readBody } from './body.js';
import type { CheckContext } from './check-api.js';
import { decideOptions, parseDecideTimes, parseJsonObject } from './decide-times.js';
import { HttpError } from './http-error.js';
import { send, sendJson } from './respond.js';

/** A close request is a few numbers. */
const MAX_CLOSE_BODY_BYTES = 16 * 1024;

export async function handleClose(req: IncomingMessage, res: ServerResponse, ctx: CheckContext, runId: string): Promise<void> {
  const body = parseJsonObject(await readBody(req, MAX_CLOSE_BODY_BYTES), '{settleMs?, timeoutMs?, parentCapMs?, consumerCapMs?, openCapMs?}');
  const options = decideOptions(parseDecideTimes(body, ctx.limits));
  sendJson(req, res, 200, await ctx.lifecycle.close(runId, options));
}

/** `DELETE /api/runs/{id}`: re-verifies the run's settled passes, then frees it. Idempotent: an unknown run is also 204. */
export async function handleDelete(req: IncomingMessage, res: ServerResponse, ctx: CheckContext, runId: string): Promise<void> {
  await ctx.lifecycle.delete(runId);
  send(req, res, 204, undefined, undefined);
}

/** Bounds of one open-spans report (documented in the receiver's README). */
export const OPEN_SPANS_LIMITS = { maxBodyBytes: 1024 * 1024, maxEntries: 2000, maxNameLength: 1024 } as const;

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function ids(e: Record<string, unknown>, where: string): { traceId: string; spanId: string } {
  const traceId = typeof e.traceId === 'string' ? e.traceId.toLowerCase() : '';
  const spanId = typeof e.spanId === 'string' ? e.spanId.toLowerCase() : '';
  if (!HEX32.test(traceId) || traceId === '0'.repeat(32)) throw new HttpError(400, 'BAD_REQUEST', `${where}.traceId must be 32 hex digits, not all zero`);
  if (!HEX16.test(spanId) || spanId === '0'.repeat(16)) throw new HttpError(400, 'BAD_REQUEST', `${where}.spanId must be 16 hex digits, not all zero`);
  return { traceId, spanId };
}

function text(v: unknown, where: string, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && v === '') || v.length > OPEN_SPANS_LIMITS.maxNameLength) {
    throw new HttpError(400, 'BAD_REQUEST', `${where} must be a ${required ? 'non-empty ' : ''}string of at most ${OPEN_SPANS_LIMITS.maxNameLength} characters`);
  }
  return v;
}

function entries(v: unknown, key: string): Record<string, unknown>[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) throw new HttpError(400, 'BAD_REQUEST', `"${key}" must be an array of objects`);
  if (v.length > OPEN_SPANS_LIMITS.maxEntries) throw new HttpError(400, 'BAD_REQUEST', `"${key}" has ${v.length} entries; at most ${OPEN_SPANS_LIMITS.maxEntries} per request`);
  return v as Record<string, unknown>[];
}

/**
 * `POST /api/open-spans` with `{open: [{run, traceId, spanId, name, service?, startTimeUnixNano}],
 * ended: [{traceId, spanId}]}`. The whole report is validated before any of it is recorded.
 */
export async function handleOpenSpans(req: IncomingMessage, res: ServerResponse, ctx: CheckContext): Promise<void> {
  const body = parseJsonObject(await readBody(req, OPEN_SPANS_LIMITS.maxBodyBytes), '{open: [...], ended: [...]}');
  const open: OpenSpanReport[] = entries(body.open, 'open').map((e, i) => {
    const where = `open[${i}]`;
    const start = typeof e.startTimeUnixNano === 'string' && /^\d{1,20}$/.test(e.startTimeUnixNano) ? Number(BigInt(e.startTimeUnixNano) / 1_000_000n) : NaN;
    if (!Number.isFinite(start)) throw new HttpError(400, 'BAD_REQUEST', `${where}.startTimeUnixNano must be a decimal string of nanoseconds since the epoch`);
    return { runId: text(e.run, `${where}.run`, true)!, ...ids(e, where), name: text(e.name, `${where}.name`, true)!, service: text(e.service, `${where}.service`, false), startMs: start };
  });
  const ended = entries(body.ended, 'ended').map((e, i) => ids(e, `ended[${i}]`));
  ctx.openSpans.update(open, ended);
  sendJson(req, res, 200, { open: open.length, ended: ended.length });
}

/** A snapshot taken of a run, as `ReceiverOptions.onSnapshot` hears of it: which effects it covered. */
export interface SnapshotRecord {
  run: string;
  /** The effects the snapshot recorded, as `name (svc service)`. */
  effects: string[];
  /** When it was recorded, ms since the epoch. */
  at: number;
}

/** Most effects one snapshot record may name. */
const MAX_SNAPSHOT_EFFECTS = 1000;

/**
 * `POST /api/runs/{id}/snapshot` with `{effects: ["name (svc service)", ...]}`: a test (or `tracecheck
 * snapshot`) took an effect snapshot of the run, so those effects are guarded by it; `tracecheck
 * run`'s report counts them as covered.
 */
export async function handleSnapshotRecord(req: IncomingMessage, res: ServerResponse, ctx: CheckContext & { onSnapshot?: ((r: SnapshotRecord) => void) | undefined }, runId: string): Promise<void> {
  const body = parseJsonObject(await readBody(req, 256 * 1024), '{effects: [string]}');
  const effects = body.effects;
  if (!Array.isArray(effects) || effects.length > MAX_SNAPSHOT_EFFECTS || effects.some((e) => typeof e !== 'string' || e.length > OPEN_SPANS_LIMITS.maxNameLength)) {
    throw new HttpError(400, 'BAD_REQUEST', `"effects" must be an array of at most ${MAX_SNAPSHOT_EFFECTS} strings ("name (svc service)")`);
  }
  try {
    ctx.onSnapshot?.({ run: runId, effects: effects as string[], at: Date.now() });
  } catch {
    // The listener's failure is its own.
  }
  sendJson(req, res, 200, { run: runId, effects: effects.length });
}
