import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('parse Go-style compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseDuration('1.5s')).toBe(1_500_000_000n);
    expect(parseDuration('0.5ms')).toBe(500_000n);
    expect(parseDuration('2d')).toBe(172_800_000_000_000n);
  });

  it('reject unknown units, bare numbers, fractional days and int64 overflow', () => {
    for (const bad of ['', '5', '1x', '1mh', '1.5d', '.s', '3000000h']) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it('print the largest units first and read back to the same value', () => {
    expect(formatDuration(0n)).toBe('0s');
    expect(formatDuration(5_400_000_000_000n)).toBe('1h30m');
    expect(formatDuration(1_500_000_001n)).toBe('1s500ms1ns');
    for (const n of [1n, 999n, 1_000n, 61_000_000_000n, (1n << 63n) - 1n]) expect(parseDuration(formatDuration(n))).toBe(n);
  });
});
