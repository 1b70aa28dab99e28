/**
 * The trace of tempodb/tempodb_search_test.go makeExpectedTrace, as OTLP spans: RootSpan with two
 * children (MySpan, and an unnamed producer span), and BrokenSpan, which names itself as its parent
 * and so hangs under no root. Tempo's span ids 1-2-3, 4-5-6, 7-8-9 and 0-0-0 are padded to 16 hex
 * digits, as Tempo prints them.
 */
import type { SpanSpec } from './fixture.js';

export const EXPECTED_TRACE_ID = '5d9a3c21b8e64f07a1c2d3e4f5061728';
export const ROOT_SPAN_ID = '0000000000040506';

/** The attribute key Tempo's test builds from TraceQL's terminal characters. */
export const TERMINAL_CHARS = '{ } ( ) = ~ ! < > & | ^';

const S = 1_000_000_000n;

export const expectedTrace: readonly SpanSpec[] = [
  {
    label: 'MySpan', traceId: EXPECTED_TRACE_ID, spanId: '0000000000010203', parent: ROOT_SPAN_ID,
    name: 'MySpan', kind: 'unspecified', status: 'error', startNs: 1000n * S, durationNs: S,
    attrs: {
      'http.method': 'Get', 'http.url': 'url/Hello/World', 'http.status_code': 500, foo: 'Bar', child: true,
      'span-dedicated.01': 'span-1a', 'span-dedicated.02': 'span-2a', numericString: '123',
    },
    resource: {
      'service.name': 'MyService', cluster: 'MyCluster', namespace: 'MyNamespace', pod: 'MyPod', container: 'MyContainer',
      'k8s.cluster.name': 'k8sCluster', 'k8s.namespace.name': 'k8sNamespace', 'k8s.pod.name': 'k8sPod', 'k8s.container.name': 'k8sContainer',
      bat: 'Baz', 'res-dedicated.01': 'res-1a', 'res-dedicated.02': 'res-2a', [TERMINAL_CHARS]: 'foobar',
    },
    scope: { name: 'scope-1', version: 'version-1', attrs: { 'scope-attr-str': 'scope-attr-1' } },
    events: [{ name: 'event name', sinceStartNs: 500_000_000n, attrs: { 'exception.message': 'random error', 'event-dedicated.01': 'event-1a' } }],
    links: [{ traceId: EXPECTED_TRACE_ID, spanId: ROOT_SPAN_ID, attrs: { relation: 'child-of' } }],
  },
  {
    label: 'RootSpan', traceId: EXPECTED_TRACE_ID, spanId: ROOT_SPAN_ID,
    name: 'RootSpan', kind: 'client', status: 'unset', startNs: 1000n * S, durationNs: 2n * S,
    attrs: { foo: 'Bar', parent: true, 'span-dedicated.01': 'span-1b', 'span-dedicated.02': 'span-2b', [TERMINAL_CHARS]: 'foobaz' },
    resource: { 'service.name': 'RootService', 'res-dedicated.01': 'res-1b', 'res-dedicated.02': 'res-2b' },
  },
  {
    label: 'child2', traceId: EXPECTED_TRACE_ID, spanId: '0000000000070809', parent: ROOT_SPAN_ID,
    kind: 'producer', status: 'ok', startNs: 1000n * S, durationNs: S,
    attrs: { child2: true },
    resource: { 'service.name': 'Service3' },
  },
  {
    label: 'BrokenSpan', traceId: EXPECTED_TRACE_ID, spanId: '0000000000000000', parent: '0000000000000000',
    name: 'BrokenSpan', kind: 'unspecified', status: 'ok', startNs: 1000n * S, durationNs: S,
    attrs: { broken: true },
    resource: { 'service.name': 'BrokenService' },
  },
];
