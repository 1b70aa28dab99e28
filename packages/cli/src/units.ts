import { UsageError } from './usage-error.js';

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/**
 * Parses a duration flag such as `300ms`, `10s`, `1h30m` into milliseconds. A bare number is
 * refused: whether `10` means seconds or milliseconds is exactly the ambiguity units remove.
 */
export function parseDuration(flag: string, text: string): number {
  if (text === '0') return 0; // zero needs no unit (a cap of 0 turns its reason off)
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`${flag}: '${text}' is not a duration; use a number with a unit, e.g. 300ms, 10s, 1m30s`);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0));
}

/** Parses a size flag such as `20MiB`, `512mb`, `1048576` (bytes) into bytes. */
export function parseSize(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = m?.[2] === '' ? 'b' : m?.[2]?.toLowerCase();
  const factor = unit === undefined ? undefined : SIZE_UNITS[unit];
  if (!m || factor === undefined) {
    throw new UsageError(`${flag}: '${text}' is not a size; use bytes or a unit, e.g. 20MiB, 512MB, 64KiB`);
  }
  return Math.round(Number(m[1]) * factor);
}

/** Parses a TCP port flag; 0 asks the system for a free port. */
export function parsePort(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`${flag}: '${text}' is not a port (0-65535; 0 picks a free one)`);
  return n;
}
