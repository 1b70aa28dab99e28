import { createSpan, type Span, SpanKind } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { parseAssertion } from '../parser.js';
import { compileAssertion } from './assertion.js';

// A flow started by a test that sent its own traceparent: the server span's parent is the test's
// invented one. With the tracestate entry naming it, that span is the root (a deliberate difference
// from Tempo); without it, the span is outside every relation, as in Tempo.

const TRACE = '1'.repeat(32);
const INVENTED = 'e'.repeat(16);

function flow(traceState: string): Span[] {
  const server = { ...createSpan({ traceId: TRACE, spanId: 'a'.repeat(16), parentSpanId: INVENTED, name: 'POST /signup', kind: SpanKind.SERVER }), traceState };
  const child = { ...createSpan({ traceId: TRACE, spanId: 'b'.repeat(16), parentSpanId: server.spanId, name: 'crm.lead.create', kind: SpanKind.CLIENT }), traceState };
  return [server, child];
}

const count = (text: string, spans: Span[]): number => compileAssertion(parseAssertion(text)).evaluate(spans).count;

describe('the parent a test invents', () => {
  it('with tracestate tracecheck=<parent>, the span under it is a root: structure works', () => {
    const spans = flow(`tracecheck=${INVENTED}`);
    expect(count('some { kind = server } > { name = "crm.lead.create" }', spans)).toBe(1);
    expect(count('some { kind = server } >> { kind = client }', spans)).toBe(1);
    expect(count('some { name = "crm.lead.create" } < { kind = server }', spans)).toBe(1);
    expect(count('some { kind = server } !> { name = "crm.lead.create" }', spans)).toBe(0);
    expect(count('some { trace:rootName = "POST /signup" }', spans)).toBe(2);
  });

  it('without it, as in Tempo, a span whose parent is not in the trace takes part in no relation', () => {
    const spans = flow('');
    expect(count('some { kind = server } > { name = "crm.lead.create" }', spans)).toBe(0);
    expect(count('some { kind = server } !> { name = "crm.lead.create" }', spans)).toBe(1);
    expect(count('some { trace:rootName = "POST /signup" }', spans)).toBe(0);
  });

  it('an entry naming another span id does not count', () => {
    expect(count('some { kind = server } > { name = "crm.lead.create" }', flow(`tracecheck=${'f'.repeat(16)}`))).toBe(0);
  });
});
