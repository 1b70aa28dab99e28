import { describe, expect, it } from 'vitest';
import { callerFrom } from './caller.js';

describe('callerFrom', () => {
  const stack = [
    'Error',
    '    at Object.toHold (/app/node_modules/@tracecheck/vitest/dist/matcher.js:80:19)',
    '    at file:///app/node_modules/@vitest/expect/dist/index.js:1878:14',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at helper (/app/tests/support.ts:4:9)',
    '    at /app/tests/checkout.test.ts:12:3',
  ].join('\n');

  it('is the frame in the running test file', () => {
    expect(callerFrom(stack, '/app/tests/checkout.test.ts')).toEqual({ file: '/app/tests/checkout.test.ts', line: 12, column: 3 });
  });

  it('without it, the first frame outside Node, node_modules and this package', () => {
    expect(callerFrom(stack, '/app/tests/other.test.ts')).toEqual({ file: '/app/tests/support.ts', line: 4, column: 9 });
    expect(callerFrom(stack, undefined)).toEqual({ file: '/app/tests/support.ts', line: 4, column: 9 });
  });

  it('reads file URLs', () => {
    expect(callerFrom('Error\n    at fn (file:///app/a%20b.test.ts:3:1)', '/app/a b.test.ts')).toEqual({ file: '/app/a b.test.ts', line: 3, column: 1 });
    expect(callerFrom(undefined, '/x')).toBeUndefined();
  });
});
