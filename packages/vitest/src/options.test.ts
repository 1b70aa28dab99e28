import { describe, expect, it } from 'vitest';
import { checkDefaults, DEFAULT_KEEP_BYTES, DEFAULT_SERVICE_TIMEOUT_MS, DEFAULT_SHOW_BYTES, durationMs, resolveOptions } from './options.js';

describe('durations', () => {
  it('reads milliseconds and the language’s durations', () => {
    expect(durationMs('timeout', 1500)).toBe(1500);
    expect(durationMs('timeout', '5s')).toBe(5000);
    expect(durationMs('timeout', '300ms')).toBe(300);
    expect(durationMs('timeout', '1m30s')).toBe(90_000);
    expect(durationMs('timeout', '1.5s')).toBe(1500);
    expect(durationMs('settle', '0s')).toBe(0);
  });

  it('refuses what is not one, naming the option', () => {
    expect(() => durationMs('timeout', '5')).toThrow("tracecheck: timeout must be a duration ('5s', '300ms', '1m30s') or milliseconds, got \"5\"");
    expect(() => durationMs('settle', 'soon')).toThrow(/^tracecheck: settle must be a duration/);
    expect(() => durationMs('timeout', -1)).toThrow(/timeout must be .* >= 0, got -1/);
    expect(() => durationMs('timeout', Number.NaN)).toThrow(/got NaN/);
  });

  it('check defaults: the timeout always (10 s unless given), the rest only when given', () => {
    expect(checkDefaults({})).toEqual({ timeoutMs: 10_000 });
    expect(checkDefaults({ timeout: '2s', settle: 50, parentCap: '1s', consumerCap: 0, openCap: '250ms' })).toEqual({ timeoutMs: 2000, settleMs: 50, parentCapMs: 1000, consumerCapMs: 0, openCapMs: 250 });
  });
});

describe('resolveOptions', () => {
  it('fills the defaults: free ports, annotations on, log sizes', () => {
    expect(resolveOptions()).toEqual({
      defaults: { timeoutMs: 10_000 },
      services: [],
      receiver: { httpPort: 0, grpcPort: 0 },
      annotate: true,
      serviceLogs: { keepBytes: DEFAULT_KEEP_BYTES, showBytes: DEFAULT_SHOW_BYTES, onEveryFailure: true },
    });
  });

  it('resolves services: durations, names, env', () => {
    const resolved = resolveOptions({ services: [{ command: 'node api.js', url: 'http://127.0.0.1:3000/health', timeout: '20s', env: { A: '1' } }, { command: 'node worker.js', name: 'worker' }] });
    expect(resolved.services).toEqual([
      { command: 'node api.js', url: 'http://127.0.0.1:3000/health', env: { A: '1' }, timeoutMs: 20_000, reuseExisting: false, name: 'node api.js' },
      { command: 'node worker.js', env: {}, timeoutMs: DEFAULT_SERVICE_TIMEOUT_MS, reuseExisting: false, name: 'worker' },
    ]);
  });

  it('is plain JSON, as Vitest’s provide needs', () => {
    const resolved = resolveOptions({ timeout: '3s', services: [{ command: 'x', port: 3000, reuseExisting: true }], receiver: { limits: { maxMemoryBytes: 1024 } } });
    expect(JSON.parse(JSON.stringify(resolved))).toEqual(resolved);
  });

  it('refuses bad services with the option named', () => {
    expect(() => resolveOptions({ services: [{ command: '' }] })).toThrow('tracecheck: services[0].command must be the shell command that starts the service');
    expect(() => resolveOptions({ services: [{ command: 'x', url: 'localhost:3000' }] })).toThrow(/services\[0\]\.url must be an absolute http\(s\) URL/);
    expect(() => resolveOptions({ services: [{ command: 'x', port: 70000 }] })).toThrow(/services\[0\]\.port must be a port 1-65535, got 70000/);
    expect(() => resolveOptions({ services: [{ command: 'x', reuseExisting: true }] })).toThrow(/reuseExisting needs a url or a port/);
    expect(() => resolveOptions({ services: [{ command: 'x' }, { command: 'x' }] })).toThrow(/two services are named "x"/);
    expect(() => resolveOptions({ services: [{ command: 'x', timeout: 'later' }] })).toThrow(/services\[0\]\.timeout must be a duration/);
    expect(() => resolveOptions({ token: '' })).toThrow(/token must not be empty/);
    expect(() => resolveOptions({ serviceLogs: { showBytes: 0 } })).toThrow(/serviceLogs\.showBytes must be a whole number of bytes > 0/);
  });
});
