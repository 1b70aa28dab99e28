/**
 * Cases from tempodb/encoding/vparquet4/block_traceql_test.go. These tests fetch from a block: a
 * trace is returned when some span meets the query's conditions, and Tempo's test checks only
 * whether the trace came back (or, where it says so, which spans). A request built from several
 * conditions (`makeReq`, `AllConditions`) is written as the TraceQL filter that joins them with
 * `||` (any condition) or `&&` (all conditions). Requests with no query (time ranges only) and the
 * array-predicate unit tests (TestCreate*Predicate) are not queries and are left out.
 */
import { LINK_SPAN_ID, LINK_TRACE_ID, POPULATED_TRACE_ID, nilValueTrace, populatedTrace } from './fixture-vparquet.js';
import type { EvalCase } from './types.js';

const FILE = 'tempodb/encoding/vparquet4/block_traceql_test.go';
const SEARCH = `${FILE} TestBackendBlockSearchTraceQL`;
const JOINED = 'the request is conditions, not one query; here they are joined as the test joins them';

const found = (query: string, note?: string): EvalCase => ({ source: SEARCH, query, spans: populatedTrace, expect: { trace: true }, ...(note === undefined ? {} : { note }) });
const notFound = (query: string, note?: string): EvalCase => ({ source: SEARCH, query, spans: populatedTrace, expect: { trace: false }, ...(note === undefined ? {} : { note }) });

/** Tempo's well-known resource columns and the value span hello's resource has in each. */
const WELL_KNOWN_VALUES: Readonly<Record<string, string>> = {
  cluster: 'cluster', namespace: 'namespace', pod: 'pod', container: 'container',
  'k8s.namespace.name': 'k8snamespace', 'k8s.cluster.name': 'k8scluster', 'k8s.pod.name': 'k8spod', 'k8s.container.name': 'k8scontainer',
};
const WELL_KNOWN = Object.keys(WELL_KNOWN_VALUES);
const value = (key: string): string => WELL_KNOWN_VALUES[key]!;

const searchesThatMatch: EvalCase[] = [
  found('{name = "hello"}'),
  ...['= 100s', '> 99s', '>= 100s', '< 101s', '<= 100s'].map((c) => found(`{duration ${c}}`)),
  found('{status = error}'),
  found('{status = 2}', "Tempo's storage compares the status column's OTLP code, and 2 is error; we read `status = 2` the same way"),
  found('{statusMessage = "STATUS_CODE_ERROR"}'),
  found('{kind = client }'),
  found(`{ trace:id = "${POPULATED_TRACE_ID}" }`),
  found('{.service.name = "spanservicename"}'),
  ...WELL_KNOWN.map((k) => found(`{.${k} = "${value(k)}"}`)),
  found('{resource.service.name = "myservice"}'),
  ...WELL_KNOWN.map((k) => found(`{resource.${k} = "${value(k)}"}`)),
  found('{resource.dedicated.resource.3 = "dedicated-resource-attr-value-3"}'),
  found('{resource.dedicated.resource.5 = "dedicated-resource-attr-value-5"}'),
  found('{resource.service.name > "myservic"}'),
  found('{resource.service.name >= "myservic"}'),
  found('{resource.service.name < "myservice1"}'),
  found('{resource.service.name <= "myservice1"}'),
  ...['.', 'span.'].flatMap((scope) => [found(`{${scope}http.status_code = 500}`), found(`{${scope}http.method = "get"}`), found(`{${scope}http.url = "url/hello/world"}`)]),
  found('{span.dedicated.span.2 = "dedicated-span-attr-value-2"}'),
  found('{span.dedicated.span.4 = "dedicated-span-attr-value-4"}'),
  found('{resource.str-array = "value-three"}'),
  found('{resource.int-array = 11}'),
  found('{span.str-array = "value-two"}'),
  found('{span.int-array = 222}'),
  found('{event:name = "e1"}'),
  found('{event:timeSinceStart > 2ms}'),
  found('{event.message =~ "exception"}'),
  found(`{link:spanID = "${LINK_SPAN_ID}"}`),
  found(`{link:traceID = "${LINK_TRACE_ID}"}`),
  found('{link.opentracing.ref_type = "child-of"}'),
  found('{instrumentation:name = "scope-1"}'),
  found('{instrumentation:version = "version-1"}'),
  found('{instrumentation.scope-attr-str = "scope-attr-1"}'),
  found('{.foo != nil}'),
  found('{nil != .foo}'),
  found('{span.http.status_code != nil}'),
  found('{nil != span.http.status_code}'),
  ...['.float = 456.78', '.float != 456.79', '.float > 456.7', '.float >= 456.78', '.float < 456.781', '.bool = false', '.bool != true',
    '.bar = 123', '.bar != 124', '.bar > 122', '.bar >= 123', '.bar < 124', '.bar <= 123',
    '.foo = "def"', '.foo != "deg"', '.foo =~ "d.*"', '.foo !~ "x.*"', 'resource.foo = "abc"', 'span.foo = "def"'].map((c) => found(`{${c}}`)),
  {
    source: SEARCH, query: '{.foo}', spans: populatedTrace, expect: { trace: true },
    difference: { reason: "the storage test fetches the spans that have .foo (a projection, no condition); as a filter, `{ .foo }` asks whether .foo is the boolean true, in Tempo's engine as here, and .foo is a string", ours: { trace: false } },
  },
  found('{ .foo = "baz" || .http.status_code > 100 }', JOINED),
  found('{ .http.status_code > 100 || .foo = "baz" }', JOINED),
  found('{ .foo > 100 || .foo = "def" }', JOINED),
  found('{ .http.status_code = 500 || .http.status_code > 500 }', JOINED),
  found('{ name = "hello" || duration < 100s }', JOINED),
  found('{.name = "Bob"}'),
  found('{.foo = "def"}'),
  found('{.bool && true}'),
  found('{false || .bool}'),
  found('{ .http.status_code >= 500 && .http.status_code <= 600 }', JOINED),
  found('{ span.http.status_code >= 500 && span.http.status_code <= 600 }', JOINED),
];

const searchesThatDontMatch: EvalCase[] = [
  ...['.foo =~ "xyz.*"', '.foo !~ ".*"', 'span.bool = true && name = "hello"', 'duration >  1000s', 'status = unset', 'statusMessage = "abc"', 'name = "nothello"', 'kind = producer ',
    'event:name = "x2"', 'link:spanID = "ffffffffffffffff"', 'link:traceID = "ffffffffffffffffffffffffffffffff"', '.service.name = "notmyservice"',
    '.http.status_code = 200', '.http.status_code > 600', '.foo = "xyz" || .http.status_code = 1000',
    'resource.dedicated.resource.3 = "dedicated-resource-attr-value-4"', 'span.dedicated.span.2 = "dedicated-span-attr-value-5"'].map((c) => notFound(`{${c}}`)),
  notFound('{ span.foo = "baz" && span.http.status_code > 100 && name = "hello" }', JOINED),
  notFound('{ span.foo = "baz" && span.bar = 123 }', JOINED),
  notFound('{ resource.cluster = "cluster" && resource.namespace = "namespace" && span.foo = "baz" }', JOINED),
  notFound('{ resource.cluster = "notcluster" && resource.namespace = "namespace" && resource.foo = "abc" }', JOINED),
  notFound('{ resource.foo = "abc" && resource.bar = 123 }', JOINED),
  notFound('{ name = "nothello" && duration = 100s }', JOINED),
];

const EVENTS = `${FILE} TestBackendBlockSearchTraceQLEvents`;
const events: EvalCase[] = ['{event.message =~ "exception"}', '{event:name = "e1"}', '{event:timeSinceStart > 2ms}']
  .map((query) => ({ source: EVENTS, query, spans: populatedTrace, expect: { spans: ['hello'] }, note: 'two events of span hello match; Tempo returns the span once' }));

const NIL_KEY = `${FILE} TestBackendNilKeyBlockSearchTraceQL`;
const nilKeys: EvalCase[] = [
  { source: NIL_KEY, query: '{span.foo = nil}', spans: populatedTrace, expect: { spans: [] } },
  { source: NIL_KEY, query: '{resource.foo = nil}', spans: populatedTrace, expect: { spans: [] } },
  { source: NIL_KEY, query: '{event.foo = nil}', spans: populatedTrace, expect: { spans: ['hello'] }, note: 'only spans with events come back: hello has events without foo, world has no events' },
  { source: NIL_KEY, query: '{link.foo = nil}', spans: populatedTrace, expect: { spans: ['hello'] }, note: 'only spans with links come back: hello has a link without foo, world has no links' },
];

const NIL_VALUE = `${FILE} TestBackendNilValueBlockSearchTraceQL`;
const nilValue = (query: string, spans: string[]): EvalCase => ({ source: NIL_VALUE, query, spans: nilValueTrace, expect: { spans }, note: 'Tempo checks that these spans come back; the others have the value' });
const nilValues: EvalCase[] = [
  ...WELL_KNOWN.map((k) => nilValue(`{resource.${k} = nil}`, ['span0', 'span1'])),
  nilValue('{resource.bar = nil}', ['span0', 'span1', 'span2']),
  nilValue('{resource.dedicated.resource.3 = nil}', ['span0', 'span1']),
  nilValue('{resource.dedicated.resource.5 = nil}', ['span0', 'span1']),
  ...['http.status_code', 'http.method', 'http.url'].map((k) => nilValue(`{span.${k} = nil}`, ['span0', 'span2'])),
  nilValue('{span.bar = nil}', ['span0', 'span1', 'span2']),
  nilValue('{span.dedicated.span.2 = nil}', ['span0', 'span2']),
  nilValue('{span.dedicated.span.4 = nil}', ['span0', 'span2']),
];

export const blockTraceqlCases: readonly EvalCase[] = [...searchesThatMatch, ...searchesThatDontMatch, ...events, ...nilKeys, ...nilValues];
