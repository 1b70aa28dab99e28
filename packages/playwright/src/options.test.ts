import { describe, expect, it } from 'vitest';
import { callerFrom, checkOptions, closeOptions, originMatcher, withRunHeaders } from './options.js';

const ours = { baggage: 'test.run.id=checkout-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'tracecheck=b7ad6b7169203331' };

describe('originMatcher: which requests get the run headers', () => {
  it('matches the origins given, and nothing else', () => {
    const m = originMatcher(['http://127.0.0.1:3000', 'https://api.shop.test/v1/'], undefined)!;
    expect(m(new URL('http://127.0.0.1:3000/checkout?x=1'))).toBe(true);
    expect(m(new URL('https://api.shop.test/orders'))).toBe(true);
    expect(m(new URL('http://127.0.0.1:3001/'))).toBe(false);
    expect(m(new URL('https://127.0.0.1:3000/'))).toBe(false);
    expect(m(new URL('https://analytics.example.com/pixel.gif'))).toBe(false);
    // Default ports are part of the origin as URL normalises it.
    expect(originMatcher(['https://shop.test:443'], undefined)!(new URL('https://shop.test/a'))).toBe(true);
  });

  it('tests a RegExp against the origin, statelessly even with the g flag', () => {
    const m = originMatcher([/^https:\/\/[a-z]+\.shop\.test$/g], undefined)!;
    for (let i = 0; i < 3; i++) expect(m(new URL('https://api.shop.test/orders'))).toBe(true);
    expect(m(new URL('https://api.shop.test.evil.com/'))).toBe(false);
    // The origin, not the path: a path cannot smuggle a match in.
    expect(originMatcher([/shop\.test$/], undefined)!(new URL('https://evil.com/shop.test'))).toBe(false);
  });

  it("defaults to baseURL's origin, and to nothing without one (then no route is needed)", () => {
    expect(originMatcher(undefined, 'http://localhost:5173/app/')!(new URL('http://localhost:5173/api/x'))).toBe(true);
    expect(originMatcher(undefined, 'http://localhost:5173')!(new URL('http://localhost:5174/'))).toBe(false);
    expect(originMatcher(undefined, undefined)).toBeUndefined();
    // An explicit list replaces the default.
    expect(originMatcher([], 'http://localhost:5173')).toBeUndefined();
  });

  it('refuses what is not an origin, saying how to write one', () => {
    expect(() => originMatcher(['localhost:3000'], undefined)).toThrow(/has no origin|not an origin/);
    expect(() => originMatcher(['/api'], undefined)).toThrow(/'\/api' is not an origin; write it with its scheme/);
  });
});

describe('withRunHeaders', () => {
  it('adds the three headers to a request that has none', () => {
    expect(withRunHeaders({ 'content-type': 'application/json' }, ours)).toEqual({ 'content-type': 'application/json', ...ours });
  });

  it("appends the run id to the page's baggage, replacing a run id already there", () => {
    expect(withRunHeaders({ baggage: 'tenant=acme, test.run.id=old' }, ours).baggage).toBe('tenant=acme,test.run.id=checkout-1');
    expect(withRunHeaders({ Baggage: 'a=1' }, ours).baggage).toBe('a=1,test.run.id=checkout-1');
  });

  it("keeps a traceparent the page set (its trace goes on) and then adds no tracestate of the run's", () => {
    const page = { traceparent: '00-11111111111111111111111111111111-2222222222222222-01', tracestate: 'vendor=x' };
    expect(withRunHeaders(page, ours)).toEqual({ ...page, baggage: ours.baggage });
  });
});

describe('checkOptions', () => {
  it("takes the check's own options, then the fixture's, then Playwright's expect timeout", () => {
    expect(checkOptions({}, {}, 5000)).toEqual({ timeoutMs: 5000 });
    expect(checkOptions({}, { timeout: 8000, settle: 100 }, 5000)).toEqual({ timeoutMs: 8000, settleMs: 100 });
    expect(checkOptions({ timeout: 2000, openCap: 0 }, { timeout: 8000, parentCap: 1000 }, 5000)).toEqual({ timeoutMs: 2000, openCapMs: 0, parentCapMs: 1000 });
    // expect timeout 0 (none): the receiver's default.
    expect(checkOptions({}, {}, 0)).toEqual({});
  });

  it("closes the run with the fixture's settle window and caps", () => {
    expect(closeOptions({ settle: 500, consumerCap: 2000, timeout: 1 })).toEqual({ settleMs: 500, consumerCapMs: 2000 });
  });
});

describe('callerFrom', () => {
  const file = '/repo/tests/checkout.spec.ts';
  it('finds the first frame in the test file', () => {
    const stack = [
      'Error',
      '    at Object.toHold (/repo/node_modules/@tracecheck/playwright/dist/matcher.js:40:19)',
      '    at /repo/tests/checkout.spec.ts:12:21',
      '    at /repo/tests/checkout.spec.ts:3:1',
    ].join('\n');
    expect(callerFrom(stack, file, 3, 1)).toEqual({ line: 12, column: 21 });
    expect(callerFrom('Error\n    at fn (file:///repo/tests/checkout.spec.ts:7:5)', file, 3, 1)).toEqual({ line: 7, column: 5 });
  });

  it("falls back to the test's own line", () => {
    expect(callerFrom('Error\n    at elsewhere (/repo/lib.js:1:1)', file, 3, 1)).toEqual({ line: 3, column: 1 });
    expect(callerFrom(undefined, file, 3, 1)).toEqual({ line: 3, column: 1 });
  });
});
