/**
 * The timing options a check or a close request may carry, in ms: `timeoutMs`, `settleMs` and the
 * in-flight caps `parentCapMs`, `consumerCapMs`, `openCapMs`. Each is bounded by
 * `limits.maxCheckTimeoutMs`, since each can hold a connection open.
 */
import type { DecideOptions } from '@tracecheck/lang';
import { HttpError } from './http-error.js';
import type { ReceiverLimits } from './limits.js';

export interface DecideTimes {
  timeoutMs?: number | undefined;
  settleMs?: number | undefined;
  parentCapMs?: number | undefined;
  consumerCapMs?: number | undefined;
  openCapMs?: number | undefined;
}

const KEYS = ['timeoutMs', 'settleMs', 'parentCapMs', 'consumerCapMs', 'openCapMs'] as const;

/** Parses a JSON request body that must be an object; `shape` names its fields in the error. */
export function parseJsonObject(raw: Buffer, shape: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'BAD_JSON', `request body is not JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'BAD_REQUEST', `expected a JSON object ${shape}`);
  return body as Record<string, unknown>;
}

export function parseDecideTimes(b: Record<string, unknown>, limits: ReceiverLimits): DecideTimes {
  const out: DecideTimes = {};
  for (const key of KEYS) {
    const v = b[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new HttpError(400, 'BAD_REQUEST', `"${key}" must be a non-negative number of milliseconds`);
    if (v > limits.maxCheckTimeoutMs) throw new HttpError(400, 'BAD_REQUEST', `"${key}" is over maxCheckTimeoutMs (${limits.maxCheckTimeoutMs})`);
    out[key] = v;
  }
  return out;
}

export function decideOptions(t: DecideTimes): DecideOptions {
  return { timeoutMs: t.timeoutMs, settleMs: t.settleMs, caps: { parentMs: t.parentCapMs, consumerMs: t.consumerCapMs, openMs: t.openCapMs } };
}
