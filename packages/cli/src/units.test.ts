import { describe, expect, it } from 'vitest';
import { parseDuration, parsePort, parseSize } from './units.js';
import { UsageError } from './usage-error.js';

describe('flag units', () => {
  it.each([
    ['300ms', 300],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['500us', 1],
  ])('reads the duration %s as %d ms', (text, ms) => {
    expect(parseDuration('--timeout', text)).toBe(ms);
  });

  it.each(['10', 's', '10 s', '10sec', '-1s', ''])('refuses the duration %j, naming the flag', (text) => {
    expect(() => parseDuration('--timeout', text)).toThrow(UsageError);
    expect(() => parseDuration('--timeout', text)).toThrow(/--timeout/);
  });

  it.each([
    ['1048576', 1048576],
    ['20MiB', 20 * 1024 * 1024],
    ['512mb', 512e6],
    ['64KiB', 65536],
  ])('reads the size %s as %d bytes', (text, bytes) => {
    expect(parseSize('--max-body', text)).toBe(bytes);
  });

  it.each(['lots', '20 parsecs', '-5MB'])('refuses the size %j', (text) => {
    expect(() => parseSize('--max-body', text)).toThrow(/--max-body: .* is not a size/);
  });

  it('reads ports, 0 included, and refuses others', () => {
    expect(parsePort('--http-port', '0')).toBe(0);
    expect(parsePort('--http-port', '4318')).toBe(4318);
    expect(() => parsePort('--http-port', '70000')).toThrow(UsageError);
    expect(() => parsePort('--http-port', 'x')).toThrow(UsageError);
  });
});
