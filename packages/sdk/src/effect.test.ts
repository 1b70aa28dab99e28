import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { effect } from './effect.js';

// With no SDK started the API's tracer is a no-op: effect() must still run fn and hand back exactly
// what it returned or threw. (Recorded spans are tested against a real receiver in effect-export.test.ts.)

describe('effect() without an SDK', () => {
  it('returns the result of a sync function', () => {
    expect(effect('x', { amount: 1 }, () => 42)).toBe(42);
  });

  it('returns the same promise object an async function returned, and its value', async () => {
    const promise = Promise.resolve({ id: 'ch_1' });
    const returned = effect('x', { payload: { a: 1 } }, () => promise);
    expect(returned).toBe(promise);
    await expect(returned).resolves.toEqual({ id: 'ch_1' });
  });

  it('rethrows the same error, sync or async', async () => {
    const boom = new Error('declined');
    expect(() =>
      effect('x', {}, () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(effect('x', {}, () => Promise.reject(boom))).rejects.toBe(boom);
  });

  it('hands fn a span that accepts attributes and status without effect', () => {
    expect(
      effect('x', {}, (span) => {
        span.setAttribute('charge.id', 'ch_1');
        span.setStatus({ code: SpanStatusCode.OK });
        return span.isRecording();
      }),
    ).toBe(false);
  });
});
