/**
 * Duration literals: a sequence of `<number><unit>` (`250ms`, `1h30m`, `1.5s`) as Go's
 * time.ParseDuration reads them, which is what Tempo accepts, plus Prometheus' `d` `w` `y` with whole
 * numbers. Values are int64 nanoseconds, held as bigint.
 */

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

const WHOLE_ONLY = new Set(['d', 'w', 'y']);
const MAX_INT64 = (1n << 63n) - 1n;

/** Units in the order the formatter prints them. */
const PRINT_UNITS: readonly (readonly [string, bigint])[] = [
  ['h', NS.h!], ['m', NS.m!], ['s', NS.s!], ['ms', NS.ms!], ['us', NS.us!], ['ns', NS.ns!],
];

/** Parses `1h30m` into nanoseconds; undefined when the text is not a duration or overflows int64. */
export function parseDuration(text: string): bigint | undefined {
  const part = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;
  let pos = 0;
  let total = 0n;
  if (text === '') return undefined;
  while (pos < text.length) {
    part.lastIndex = pos;
    const m = part.exec(text);
    if (m === null) return undefined;
    const whole = m[1] ?? '';
    const frac = m[2];
    const unit = NS[m[3] ?? ''];
    if (unit === undefined || (whole === '' && (frac === undefined || frac === ''))) return undefined;
    if (frac !== undefined && WHOLE_ONLY.has(m[3] ?? '')) return undefined;
    total += BigInt(whole === '' ? '0' : whole) * unit;
    if (frac !== undefined && frac !== '') total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    pos = part.lastIndex;
  }
  return total > MAX_INT64 ? undefined : total;
}

/** Prints nanoseconds canonically, largest unit first: `1h30m`, `1s500ms`, `0s`. */
export function formatDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  let rest = nanos < 0n ? -nanos : nanos;
  let out = '';
  for (const [unit, size] of PRINT_UNITS) {
    const n = rest / size;
    if (n > 0n) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return sign + out;
}
