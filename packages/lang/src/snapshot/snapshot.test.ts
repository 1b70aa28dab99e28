import { createResource, createSpan, type Span, SpanKind } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, parseSnapshot } from './diff.js';
import { effectSnapshot } from './snapshot.js';

// Effect snapshots from spans shaped as @tracecheck/sdk and the HTTP instrumentation export them.

const api = createResource({ 'service.name': 'api' });
const worker = createResource({ 'service.name': 'worker' });
const sdkScope = { name: '@tracecheck/sdk', version: '0.1.0', attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
const httpScope = { name: '@opentelemetry/instrumentation-undici', version: '0.1', attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
let n = 0;
const id = (): string => (++n).toString(16).padStart(16, '0');
const T = 'ab'.repeat(16);

function sp(name: string, init: { parent?: string; kind?: SpanKind; at: number; ms: number; svc?: typeof api; sdk?: boolean; attrs?: Record<string, unknown>; payload?: unknown; links?: { traceId: string; spanId: string }[]; traceId?: string }): Span {
  const attributes: Record<string, unknown> = { ...init.attrs };
  if (init.payload !== undefined) attributes['effect.payload'] = JSON.stringify(init.payload);
  const s = createSpan({
    traceId: init.traceId ?? T,
    spanId: id(),
    parentSpanId: init.parent ?? '',
    name,
    kind: init.kind ?? SpanKind.INTERNAL,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(init.at) * 1_000_000n,
    endTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(init.at + init.ms) * 1_000_000n,
    attributes,
    resource: init.svc ?? api,
    links: init.links ?? [],
  });
  return { ...s, scope: init.sdk ? sdkScope : init.kind === SpanKind.CLIENT ? httpScope : s.scope };
}

/** An order flow: webhook effect (with its fetch), then an email job through a queue, and a CRM call concurrently. */
function flow(opts: { webhookPayload?: unknown; emails?: number; concurrentOrder?: 'crm-first' | 'email-first'; port?: number } = {}): Span[] {
  const server = sp('POST /orders', { kind: SpanKind.SERVER, at: 0, ms: 100, attrs: { 'http.request.method': 'POST', 'http.route': '/orders' } });
  const webhook = sp('fulfillment.webhook.send', { parent: server.spanId, kind: SpanKind.CLIENT, sdk: true, at: 1, ms: 10, payload: opts.webhookPayload ?? { order_id: 'o-1', amount: 2500, currency: 'EUR', items: [{ sku: 'A', qty: 1 }] } });
  const fetch = sp('POST', { parent: webhook.spanId, kind: SpanKind.CLIENT, at: 2, ms: 8, attrs: { 'http.request.method': 'POST', 'url.full': `http://127.0.0.1:${opts.port ?? 4000}/hooks/o-1?sig=abc`, 'server.address': '127.0.0.1', 'server.port': opts.port ?? 4000, 'http.response.status_code': 202 } });
  const produce = sp('send email-jobs', { parent: server.spanId, kind: SpanKind.PRODUCER, sdk: true, at: 20, ms: 1 });
  const crmFirst = opts.concurrentOrder !== 'email-first';
  // Two concurrent calls under one parent: they overlap, so no order between them.
  const crm = sp('crm.lead.create', { parent: server.spanId, kind: SpanKind.CLIENT, sdk: true, at: crmFirst ? 30 : 31, ms: 20, payload: { email: 'a@b.c', source: 'website', token: '[REDACTED]' } });
  const analytics = sp('analytics.track', { parent: server.spanId, kind: SpanKind.CLIENT, sdk: true, at: crmFirst ? 31 : 30, ms: 20, payload: { event: 'order' } });
  const consumer = sp('process email-jobs', { kind: SpanKind.CONSUMER, sdk: true, at: 200, ms: 30, svc: worker, traceId: 'cd'.repeat(16), links: [{ traceId: T, spanId: produce.spanId }] });
  const emails = Array.from({ length: opts.emails ?? 1 }, (_, i) => sp('email.send', { parent: consumer.spanId, kind: SpanKind.CLIENT, sdk: true, at: 201 + i * 5, ms: 3, svc: worker, traceId: 'cd'.repeat(16), payload: { to: 'a@b.c', template: 'welcome' } }));
  return [server, webhook, fetch, produce, crm, analytics, consumer, ...emails];
}

describe('effectSnapshot', () => {
  it('groups effects with count, call (no port, ids out of paths), payload shape, and causal/sequential order', () => {
    expect(effectSnapshot(flow(), { pin: ['currency'] })).toBe(
      [
        '# tracecheck effect snapshot',
        'fulfillment.webhook.send (svc api) ×1',
        '  call: POST 127.0.0.1/hooks/o-1 → 202',
        '  payload:',
        '    amount: integer',
        '    currency: "EUR"',
        '    items[]:',
        '      qty: integer',
        '      sku: string',
        '    order_id: string',
        'send email-jobs (svc api) ×1',
        'analytics.track (svc api) ×1',
        '  payload:',
        '    event: string',
        'crm.lead.create (svc api) ×1',
        '  payload:',
        '    email: string',
        '    source: string',
        '    token: string',
        'email.send (svc worker) ×1',
        '  payload:',
        '    template: string',
        '    to: string',
        'order:',
        '  fulfillment.webhook.send (svc api) → send email-jobs (svc api)',
        '  send email-jobs (svc api) → analytics.track (svc api)',
        '  send email-jobs (svc api) → crm.lead.create (svc api)',
        '  send email-jobs (svc api) → email.send (svc worker)',
        '',
      ].join('\n'),
    );
  });

  it('is byte-identical whatever the ports and whichever concurrent effect started first', () => {
    const a = effectSnapshot(flow({ port: 4000, concurrentOrder: 'crm-first' }));
    const b = effectSnapshot(flow({ port: 51234, concurrentOrder: 'email-first' }));
    expect(b).toBe(a);
  });

  it('never records a redacted value, even when pinned', () => {
    const text = effectSnapshot(flow(), { pin: ['token', 'source'] });
    expect(text).toContain('    token: <redacted>');
    expect(text).toContain('    source: "website"');
    expect(text).not.toContain('[REDACTED]');
  });

  it('leaves out what the options say: ignored paths, excluded effects; records chosen attributes', () => {
    const text = effectSnapshot(flow(), { ignore: ['items', 'amount'], exclude: ['analytics.track', /^send /], attributes: ['http.route'] });
    expect(text).not.toContain('analytics.track');
    expect(text).not.toContain('send email-jobs');
    expect(text).not.toContain('items[]');
    expect(text).not.toContain('amount');
  });
});

describe('what is an effect', () => {
  it('a call our own instrumented service received, and a read, are not effects on the outside world', () => {
    const page = sp('GET /checkout', { kind: SpanKind.SERVER, at: 0, ms: 50, svc: worker });
    const toApi = sp('POST', { parent: page.spanId, kind: SpanKind.CLIENT, at: 1, ms: 20, svc: worker, attrs: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:3001/orders' } });
    const apiServer = sp('POST /orders', { parent: toApi.spanId, kind: SpanKind.SERVER, at: 2, ms: 15, attrs: { 'http.request.method': 'POST', 'http.route': '/orders' } });
    const flags = sp('GET', { parent: apiServer.spanId, kind: SpanKind.CLIENT, at: 3, ms: 2, attrs: { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:3009/flags' } });
    const crm = sp('POST', { parent: apiServer.spanId, kind: SpanKind.CLIENT, at: 6, ms: 5, attrs: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:3010/leads', 'http.response.status_code': 201 } });
    const text = effectSnapshot([page, toApi, apiServer, flags, crm]);
    expect(text).toBe('# tracecheck effect snapshot\nPOST 127.0.0.1/leads (svc api) ×1\n  call: → 201\n');
  });
});

describe('diffSnapshots', () => {
  const base = effectSnapshot(flow(), { pin: ['currency'] });

  it('a renamed payload field is one shape line', () => {
    const renamed = effectSnapshot(flow({ webhookPayload: { orderId: 'o-1', amount: 2500, currency: 'EUR', items: [{ sku: 'A', qty: 1 }] } }), { pin: ['currency'] });
    expect(diffSnapshots(base, renamed)).toEqual(['fulfillment.webhook.send (svc api) payload: - order_id: string  + orderId: string']);
  });

  it('a duplicated effect is a count change; a changed pinned value a value diff', () => {
    expect(diffSnapshots(base, effectSnapshot(flow({ emails: 2 }), { pin: ['currency'] }))).toEqual(['email.send (svc worker): 1 → 2']);
    const dollars = effectSnapshot(flow({ webhookPayload: { order_id: 'o-1', amount: 25.5, currency: 'USD', items: [{ sku: 'A', qty: 1 }] } }), { pin: ['currency'] });
    expect(diffSnapshots(base, dollars)).toEqual(['fulfillment.webhook.send (svc api) payload: - amount: integer  - currency: "EUR"  + amount: number  + currency: "USD"']);
  });

  it('a dropped effect is a removal (and its order lines go with it)', () => {
    const dropped = effectSnapshot(flow({ emails: 0 }), { pin: ['currency'] });
    expect(diffSnapshots(base, dropped)).toEqual(['- email.send (svc worker) ×1 (no longer made)', 'order: - send email-jobs (svc api) → email.send (svc worker)']);
  });

  it('parses what it writes, and refuses text that is not a snapshot', () => {
    expect(parseSnapshot(base).groups.get('email.send (svc worker)')).toEqual({ count: 1, facts: ['payload:', 'payload.template: string', 'payload.to: string'] });
    expect(() => parseSnapshot('hello')).toThrow(/not an effect snapshot/);
    expect(diffSnapshots(base, base)).toEqual([]);
  });
});
