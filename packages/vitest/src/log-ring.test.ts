import { describe, expect, it } from 'vitest';
import { LogRing } from './log-ring.js';
import { renderServiceLogs } from './log-server.js';

describe('LogRing', () => {
  it('keeps the newest bytes, and tells a window that lost its start', () => {
    const ring = new LogRing(20);
    ring.push('line one\n', 100);
    ring.push('line two\n', 200);
    ring.push('line three\n', 300);
    expect(ring.tail(0, 1000)).toEqual({ text: 'line three\n', cut: true });
    // A window that starts after what was dropped is whole.
    expect(ring.tail(300, 1000)).toEqual({ text: 'line three\n', cut: false });
  });

  it('shows what arrived since a time, at most so many bytes, from a line boundary', () => {
    const ring = new LogRing(1000);
    ring.push('before the test\n', 100);
    ring.push('a\nbb\nccc\n', 200);
    ring.push('dddd\n', 300);
    expect(ring.tail(200, 1000)).toEqual({ text: 'a\nbb\nccc\ndddd\n', cut: false });
    expect(ring.tail(250, 1000)).toEqual({ text: 'dddd\n', cut: false });
    expect(ring.tail(200, 10)).toEqual({ text: 'ccc\ndddd\n', cut: true });
    expect(ring.tail(400, 1000)).toEqual({ text: '', cut: false });
  });

  it('a chunk larger than the bound keeps its end', () => {
    const ring = new LogRing(5);
    ring.push('0123456789', 1);
    expect(ring.tail(0, 100)).toEqual({ text: '56789', cut: true });
  });
});

describe('renderServiceLogs', () => {
  it('one section per service, with its command, how it ended, and a cut window said', () => {
    const text = renderServiceLogs(
      [
        { name: 'api', command: 'node api.js', text: 'order 1 received\norder 2 failed\n', cut: true },
        { name: 'worker', command: 'worker', text: '', cut: false, exit: 'exited with code 1' },
      ],
      4096,
    );
    expect(text).toBe(['Service logs since the test started:', '  api (node api.js), its last 4 KiB:', '    order 1 received', '    order 2 failed', '  worker, exited with code 1: nothing'].join('\n'));
    expect(renderServiceLogs(undefined, 10)).toBe('');
    expect(renderServiceLogs([], 10)).toBe('');
  });
});
