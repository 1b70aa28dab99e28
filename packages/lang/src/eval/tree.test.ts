import type { Span } from '@tracecheck/model';
import { createSpan, SpanKind } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { buildRunGraph } from './graph.js';
import { renderTree } from './tree.js';

const T = 'c'.repeat(32);
const span = (id: string, parent: string, name: string, at: number, more: { kind?: SpanKind; attributes?: Record<string, string | number> } = {}): Span =>
  createSpan({ traceId: T, spanId: id.padStart(16, '0'), parentSpanId: parent === '' ? '' : parent.padStart(16, '0'), name, startTimeUnixNano: BigInt(at) * 1_000_000n, endTimeUnixNano: BigInt(at + 1) * 1_000_000n, ...more });

/** The label the tree gives one span: its line without the indent, service and duration. */
const label = (name: string, kind: SpanKind, attributes: Record<string, string | number>): string =>
  renderTree(buildRunGraph([span('1', '', name, 0, { kind, attributes })]), {}, 0)[1]!.replace(/^ {2}/, '').replace(/ \(svc unknown_service\) 1ms$/, '');

describe('renderTree', () => {
  it('shows spans on a cyclic parent chain once each', () => {
    const lines = renderTree(buildRunGraph([span('1', '2', 'x', 0), span('2', '1', 'y', 1)]), {}, 0);
    expect(lines).toEqual([`trace ${T} (2 spans, 2ms)`, '  x (svc unknown_service) 1ms', '    y (svc unknown_service) 1ms']);
  });

  it('stops at maxLines and counts what it left out', () => {
    const spans = [span('1', '', 'root', 0), span('2', '1', 'a', 1), span('3', '1', 'b', 2), span('4', '3', 'c', 3)];
    const lines = renderTree(buildRunGraph(spans), { maxLines: 3, mark: (s) => (s.name === 'a' ? '← here' : undefined) }, 0);
    expect(lines).toEqual([`trace ${T} (4 spans, 4ms)`, '  root (svc unknown_service) 1ms', '    a (svc unknown_service) 1ms ← here', '… 2 more spans not shown']);
  });

  it('tells HTTP calls named by their method apart by route, path and peer', () => {
    const server = span('1', '', 'POST', 0, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/signup', 'url.path': '/signup' } });
    const client = (id: string, at: number, path: string) =>
      span(id, '1', 'POST', at, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'server.address': 'crm', 'server.port': 3102, 'url.full': `http://crm:3102${path}?token=s3cret`, 'url.scheme': 'http' } });
    const lines = renderTree(buildRunGraph([server, client('2', 1, '/leads'), client('3', 2, '/notes')]), {}, 0);
    expect(lines).toEqual([
      `trace ${T} (3 spans, 3ms)`,
      '  POST /signup (svc unknown_service) 1ms',
      '    POST → crm:3102/leads (svc unknown_service) 1ms',
      '    POST → crm:3102/notes (svc unknown_service) 1ms',
    ]);
  });

  it.each([
    ['a server span without a route: its path, without the query', 'GET', SpanKind.SERVER, { 'http.request.method': 'GET', 'url.path': '/orders/42', 'url.query': 'x=1' }, 'GET /orders/42'],
    ['older conventions: http.method and http.target', 'GET', SpanKind.SERVER, { 'http.method': 'GET', 'http.target': '/orders/42?x=1' }, 'GET /orders/42'],
    ['a route over a path', 'GET', SpanKind.SERVER, { 'http.method': 'GET', 'http.route': '/orders/:id', 'http.target': '/orders/42' }, 'GET /orders/:id'],
    ['the generic name of a non-standard method', 'HTTP', SpanKind.SERVER, { 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE', 'url.path': '/cache' }, 'PURGE /cache'],
    ['a client span: server.address and server.port', 'POST', SpanKind.CLIENT, { 'http.request.method': 'POST', 'server.address': 'crm', 'server.port': 3102 }, 'POST → crm:3102'],
    ['a client span: the host, port and path of url.full', 'PUT', SpanKind.CLIENT, { 'http.request.method': 'PUT', 'url.full': 'https://user:pw@api.example.com:8443/v1/items/7?sig=abc' }, 'PUT → api.example.com:8443/v1/items/7'],
    ['a port the scheme implies is left out', 'GET', SpanKind.CLIENT, { 'http.request.method': 'GET', 'server.address': 'api.stripe.com', 'server.port': 443, 'url.full': 'https://api.stripe.com/v1/refunds' }, 'GET → api.stripe.com/v1/refunds'],
    ['older conventions: net.peer.name, net.peer.port and http.url', 'HTTP POST', SpanKind.CLIENT, { 'http.method': 'POST', 'net.peer.name': 'mailer', 'net.peer.port': 2525, 'http.url': 'http://mailer:2525/send' }, 'POST → mailer:2525/send'],
    ['an IPv6 peer in brackets', 'GET', SpanKind.CLIENT, { 'http.request.method': 'GET', 'server.address': '::1', 'server.port': 8080 }, 'GET → [::1]:8080'],
    ['a descriptive name is kept', 'POST /refunds', SpanKind.SERVER, { 'http.request.method': 'POST', 'http.route': '/refunds/:id' }, 'POST /refunds'],
    ['a name that is not HTTP is kept', 'stripe.refund.create', SpanKind.CLIENT, { 'http.request.method': 'POST', 'server.address': 'api.stripe.com' }, 'stripe.refund.create'],
    ['a bare method without anything to add is kept', 'POST', SpanKind.CLIENT, { 'http.request.method': 'POST' }, 'POST'],
    ['a span named like a method that is not HTTP is kept', 'GET', SpanKind.INTERNAL, { 'cache.key': 'x' }, 'GET'],
  ] as const)('labels %s', (_what, name, kind, attributes, expected) => {
    expect(label(name, kind, attributes)).toBe(expected);
  });
});
