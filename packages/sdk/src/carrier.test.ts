import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersGetter } from './carrier.js';
import { extractContext, injectContext } from './queue.js';
import { runIdOf } from './run-id.js';

// Message headers in the shapes broker clients use, through the W3C propagators the SDK registers.

describe('message header carriers', () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  });
  afterAll(() => propagation.disable());

  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
  const ctx = trace.setSpanContext(propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'test.run.id': { value: 'R1' } })), spanContext);

  it('injects traceparent and baggage as strings and reads them back', () => {
    const headers = injectContext({ 'content-type': 'json' }, ctx);
    expect(headers).toEqual({ 'content-type': 'json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', baggage: 'test.run.id=R1' });
    const back = extractContext(headers);
    expect(trace.getSpanContext(back)).toMatchObject({ ...spanContext, isRemote: true });
    expect(runIdOf(back)).toBe('R1');
  });

  it('reads kafkajs-style Buffer values, arrays and keys in another case', () => {
    const kafka = { TraceParent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), baggage: [Buffer.from('test.run.id=R2')] };
    const back = extractContext(kafka);
    expect(trace.getSpanContext(back)?.spanId).toBe('b7ad6b7169203331');
    expect(runIdOf(back)).toBe('R2');
    expect(headersGetter.get(kafka, 'traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('extracts nothing from missing headers, on top of an empty context rather than the active one', () => {
    const back = context.with(ctx, () => extractContext(undefined));
    expect(trace.getSpanContext(back)).toBeUndefined();
    expect(runIdOf(back)).toBeUndefined();
  });
});
