/**
 * Traces of tempodb/encoding/vparquet4/block_traceql_test.go as OTLP spans. Tempo writes them as
 * vparquet rows, where a well-known column (http.status_code, service.name) and a generic attribute
 * can hold two values under one key; OTLP attributes as we read them have one value per key, so
 * each span keeps the well-known column's value (the cases that need the other are listed as not
 * transcribed). Attributes no query reads (dropped counts, unsupported kvlist values) are left out.
 */
import { f } from './fixture.js';
import type { SpanSpec } from './fixture.js';

export const POPULATED_TRACE_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const LINK_TRACE_ID = '1234567890abcdef1234567890abcdef';
export const LINK_SPAN_ID = '1234567890abcdef';

const S = 1_000_000_000n;
const MS = 1_000_000n;
const dedicated = (scope: 'resource' | 'span', from: number): Record<string, string> =>
  Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`dedicated.${scope}.${n}`, `dedicated-${scope}-attr-value-${n + from - 1}`]));
const e1 = { name: 'e1', sinceStartNs: 3n * MS, attrs: { 'event-attr-key-1': 'event-value-1', 'event-attr-key-2': 'event-value-2', message: 'exception' } };

/** fullyPopulatedTestTrace: span `hello` (client, error, events and a link) and span `world` (server, ok). */
export const populatedTrace: readonly SpanSpec[] = [
  {
    label: 'hello', traceId: POPULATED_TRACE_ID, spanId: '00007370616e6964',
    name: 'hello', kind: 'client', status: 'error', statusMessage: 'STATUS_CODE_ERROR', startNs: 100n * S, durationNs: 100n * S,
    attrs: {
      'http.method': 'get', 'http.url': 'url/hello/world', 'http.status_code': 500,
      foo: 'def', bar: 123, float: f(456.78), bool: false,
      'str-array': ['value-one', 'value-two'], 'int-array': [111, 222, 333, 444], 'double-array': [f(1.1), f(2.2), f(3.3)], 'bool-array': [true, false, true, false],
      name: 'Bob', 'service.name': 'spanservicename', ...dedicated('span', 1),
    },
    resource: {
      'service.name': 'myservice', cluster: 'cluster', namespace: 'namespace', pod: 'pod', container: 'container',
      'k8s.cluster.name': 'k8scluster', 'k8s.namespace.name': 'k8snamespace', 'k8s.pod.name': 'k8spod', 'k8s.container.name': 'k8scontainer',
      foo: 'abc', asdf: 123, 'str-array': ['value-one', 'value-two', 'value-three', 'value-four'], 'int-array': [11, 22, 33], ...dedicated('resource', 1),
    },
    scope: { name: 'scope-1', version: 'version-1', attrs: { 'scope-attr-str': 'scope-attr-1', 'scope-attr-int': 101, 'scope-attr-float': f(3.14), 'scope-attr-bool': true } },
    events: [e1, { name: 'e2', sinceStartNs: 2n }, e1],
    links: [{ traceId: LINK_TRACE_ID, spanId: LINK_SPAN_ID, attrs: { 'opentracing.ref_type': 'child-of' } }],
  },
  {
    label: 'world', traceId: POPULATED_TRACE_ID, spanId: '007370616e696432',
    name: 'world', kind: 'server', status: 'ok', statusMessage: 'STATUS_CODE_OK', startNs: 200n * S, durationNs: 200n * S,
    attrs: {
      'http.method': 'PUT', 'http.url': 'url/hello/world/2', 'http.status_code': 501,
      foo: 'ghi', bar: 1234, float: f(456.789), bool: true, name: 'Bob2', 'service.name': 'spanservicename2',
    },
    resource: {
      'service.name': 'service2', cluster: 'cluster2', namespace: 'namespace2', pod: 'pod2', container: 'container2',
      'k8s.cluster.name': 'k8scluster2', 'k8s.namespace.name': 'k8snamespace2', 'k8s.pod.name': 'k8spod2', 'k8s.container.name': 'k8scontainer2',
      foo: 'abc2', ...dedicated('resource', 6),
    },
    scope: { name: 'scope-2', version: 'version-2', attrs: { 'scope-attr-str': 'scope-attr-2' } },
  },
];

const helloResource = { 'service.name': 'hello', foo: 'def' };

/**
 * TestBackendNilValueBlockSearchTraceQL: span 0 has nothing but an id and one attribute, span 1 (its
 * child) has every span-level value, span 2 sits in a resource that has every resource-level value.
 */
export const nilValueTrace: readonly SpanSpec[] = [
  { label: 'span0', kind: 'unspecified', attrs: { foo: 'jkl' }, resource: helloResource },
  {
    label: 'span1', parent: 'span0', name: 'hello', kind: 'client', status: 'error', statusMessage: 'STATUS_CODE_ERROR', startNs: 100n * S, durationNs: 100n * S,
    attrs: { 'http.method': 'get', 'http.url': 'url/hello/world', 'http.status_code': 500, foo: 'mno', ...dedicated('span', 1) },
    resource: helloResource,
  },
  {
    label: 'span2', kind: 'unspecified', attrs: { foo: 'ghi' },
    resource: {
      'service.name': 'myservice', cluster: 'cluster', namespace: 'namespace', pod: 'pod', container: 'container',
      'k8s.cluster.name': 'k8scluster', 'k8s.namespace.name': 'k8snamespace', 'k8s.pod.name': 'k8spod', 'k8s.container.name': 'k8scontainer',
      foo: 'abc', 'str-array': ['value-one', 'value-two', 'value-three', 'value-four'], 'int-array': [11, 22, 33], ...dedicated('resource', 1),
    },
  },
];
