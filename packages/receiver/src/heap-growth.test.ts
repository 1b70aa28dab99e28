import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { growingPercent, HEAP_GROWTH_LARGE_PERCENT, HEAP_GROWTH_MIN_BYTES, keepHeapGrowth } from './heap-growth.js';

const MiB = 1024 * 1024;

describe('growingPercent', () => {
  it('lets a small heap grow at least HEAP_GROWTH_MIN_BYTES before its next full collection', () => {
    for (const used of [16 * MiB, 20 * MiB, 31 * MiB, 47 * MiB]) {
      const percent = growingPercent(used);
      expect(percent).toBeGreaterThan(0);
      expect((used * percent) / 100).toBeGreaterThanOrEqual(HEAP_GROWTH_MIN_BYTES);
    }
  });

  it('never sets more than V8 itself would at most (4 times the heap)', () => {
    expect(growingPercent(1 * MiB)).toBe(300);
    expect(growingPercent(0)).toBe(300);
  });

  it('lets a large heap grow by half, not by V8\'s own factor of up to 4', () => {
    expect(growingPercent(HEAP_GROWTH_MIN_BYTES)).toBe(100);
    expect(growingPercent(2 * HEAP_GROWTH_MIN_BYTES)).toBe(HEAP_GROWTH_LARGE_PERCENT);
    expect(growingPercent(512 * MiB)).toBe(HEAP_GROWTH_LARGE_PERCENT);
    expect(growingPercent(4096 * MiB)).toBe(HEAP_GROWTH_LARGE_PERCENT);
    expect(HEAP_GROWTH_LARGE_PERCENT).toBe(50);
  });

  it('bounds the garbage a large heap gathers between full collections to about half of it (V8 alone: up to four times)', () => {
    // A process holds about 150 MB live and keeps making objects that live long enough to reach the
    // old generation, then die; it prints, for each full collection, the heap just before and after.
    const module = new URL('../dist/heap-growth.js', import.meta.url).href;
    const script = `
      const { getHeapStatistics } = await import('node:v8');
      const { keepHeapGrowth } = await import(process.argv[2]);
      if (process.argv[1] === 'keep') keepHeapGrowth();
      const live = [];
      for (let i = 0; i < 1_000_000; i++) live.push({ a: i, b: [i] });
      const ring = new Array(100);
      let slot = 0, prev = getHeapStatistics().used_heap_size, top = 0;
      const cycles = [];
      const started = Date.now();
      while (cycles.length < 4 && Date.now() - started < 20_000) {
        const made = [];
        for (let i = 0; i < 10_000; i++) made.push({ a: i, b: [i] });
        ring[slot++ % ring.length] = made;
        const used = getHeapStatistics().used_heap_size;
        if (used < prev - 40e6) { cycles.push([top, used]); top = 0; }
        top = Math.max(top, used);
        prev = used;
        await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(JSON.stringify({ live: live.length, cycles }));`;
    const growth = (mode: string): number => {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, mode, module], { encoding: 'utf8', timeout: 40_000 });
      expect(run.stderr).toBe('');
      const { cycles } = JSON.parse(run.stdout) as { cycles: [number, number][] };
      expect(cycles.length).toBe(4);
      // The first cycle starts from the heap V8 grew while the live objects were made.
      return Math.max(...cycles.slice(1).map(([before, after]) => before / after));
    };
    expect(growth('keep')).toBeLessThan(2.2);
    // Node 20's V8 on its own lets this heap reach 4 to 4.6 times (the campaign's case); Node 24's
    // grows it less here (1.1 to 2 times), so the comparison is made on 20 only.
    if (process.versions.node.startsWith('20.')) expect(growth('v8')).toBeGreaterThan(3);
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
