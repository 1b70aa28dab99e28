import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { growingPercent, HEAP_GROWTH_MIN_BYTES, keepHeapGrowth } from './heap-growth.js';

const MiB = 1024 * 1024;

describe('growingPercent', () => {
  it('lets a small heap grow at least HEAP_GROWTH_MIN_BYTES before its next full collection', () => {
    for (const used of [16 * MiB, 20 * MiB, 31 * MiB, 47 * MiB]) {
      const percent = growingPercent(used);
      expect(percent).toBeGreaterThan(0);
      expect((used * percent) / 100).toBeGreaterThanOrEqual(HEAP_GROWTH_MIN_BYTES);
    }
  });

  it('never sets more than V8 itself would at most (4 times the heap), and leaves a large heap to V8', () => {
    expect(growingPercent(1 * MiB)).toBe(300);
    expect(growingPercent(0)).toBe(300);
    expect(growingPercent(HEAP_GROWTH_MIN_BYTES)).toBe(0);
    expect(growingPercent(512 * MiB)).toBe(0);
  });

  it("this Node's V8 knows the flag (an unknown one is an error on stderr, not an exception)", () => {
    const run = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--heap-growing-percent=300')"], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const unknown = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--heap-growing-percentage=300')"], { encoding: 'utf8' });
    expect(unknown.stderr).toContain('unrecognized flag');
  });

  it('keepHeapGrowth does not keep a process alive, and stops', () => {
    // The built module, in a process of its own: the flag is the whole process's.
    const module = new URL('../dist/heap-growth.js', import.meta.url).href;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import { keepHeapGrowth } from '${module}'; keepHeapGrowth(); console.log('set');`], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect([run.signal, run.status, run.stdout.trim(), run.stderr]).toEqual([null, 0, 'set', '']);
    const stop = keepHeapGrowth();
    stop();
  });
});
