/**
 * Cases from tempodb/tempodb_search_test.go over makeExpectedTrace (fixture-tempodb.ts). Search
 * requests given as tags (searchTestSuite) are the TraceQL filters addTraceQL makes of them. Left
 * out: requests with only a time range, and the runners that use pipelines, aggregates, select or
 * randomly chosen conditions (groupTraceQLRunner, nestedSet, most of advancedTraceQLRunner).
 */
import { EXPECTED_TRACE_ID, TERMINAL_CHARS, expectedTrace } from './fixture-tempodb.js';
import type { EvalCase } from './types.js';

const FILE = 'tempodb/tempodb_search_test.go';

const trace = (test: string, matches: boolean) => (query: string): EvalCase => ({ source: `${FILE} ${test}`, query, spans: expectedTrace, expect: { trace: matches } });

const suiteMatch = trace('searchTestSuite', true);
const suiteMiss = trace('searchTestSuite', false);
const suite: EvalCase[] = [
  ...['{}', '{duration < 2001ms&&duration > 999ms}',
    '{.service.name="MyService"}', '{.cluster="MyCluster"}', '{.namespace="MyNamespace"}', '{.pod="MyPod"}', '{.container="MyContainer"}',
    '{.k8s.cluster.name="k8sCluster"}', '{.k8s.namespace.name="k8sNamespace"}', '{.k8s.pod.name="k8sPod"}', '{.k8s.container.name="k8sContainer"}',
    '{.service.name="RootService"}', '{name="RootSpan"}', '{name="MySpan"}', '{.http.method="Get"}', '{.http.url="url/Hello/World"}', '{status=error}',
    '{.res-dedicated.01="res-1a"}', '{.res-dedicated.02="res-2b"}', '{.span-dedicated.01="span-1a"}', '{.span-dedicated.02="span-2b"}',
    '{.foo="Bar"}', '{.bat="Baz"}', '{.service.name="MyService"&&.http.method="Get"&&.foo="Bar"}'].map(suiteMatch),
  ...['{duration > 2001ms}', '{duration < 999ms}',
    '{.service.name="service"}', '{.cluster="cluster"}', '{.namespace="namespace"}', '{.pod="pod"}', '{.container="container"}',
    '{.http.method="post"}', '{.http.url="asdf"}', '{.http.status_code=200}', '{.service.name="NotRootService"}', '{name="NotRootSpan"}',
    '{.res-dedicated.01="res-2a"}', '{.res-dedicated.02="does-not-exist"}', '{.span-dedicated.01="span-2a"}', '{.span-dedicated.02="does-not-exist"}',
    '{.foo="baz"}'].map(suiteMiss),
];

const runnerMatch = trace('traceQLRunner', true);
const runnerMiss = trace('traceQLRunner', false);
const quoted = JSON.stringify(TERMINAL_CHARS);
const runner: EvalCase[] = [
  ...[`{ .${quoted} = "foobaz" }`, `{ .${quoted} = "foobar" }`, '{ ."res-dedicated.02" = "res-2a" }', '{ resource."k8s.namespace.name" = "k8sNamespace" }',
    '{ span:parentID = "0000000000040506" }',
    '{ resource.service.name = "MyService" || resource.service.name = "does-not-exist" }',
    '{ resource.service.name = "does-not-exist" || resource.service.name = "RootService" }',
    '{ resource.res-dedicated.01 = "res-1a" || resource.res-dedicated.01 = "res-1b" }',
    '{ resource.res-dedicated.01 != "res-2a" && resource.res-dedicated.01 != "res-2b" }',
    '{ resource.res-dedicated.01 =~ "does-not-exist" || resource.res-dedicated.01 =~ "res-1.*" }',
    '{ resource.res-dedicated.01 !~ "res-2.*" && resource.res-dedicated.01 !~ "res-3.*" }',
    '{ span.foo="Bar" || span.foo="does-not-exist" }',
    '{ span.foo!="does-not-exist-1" && span.foo!="does-not-exist-2" }',
    '{ span.span-dedicated.01 = "span-1a" || span.span-dedicated.01 = "span-1b" }',
    '{ span.span-dedicated.01 != "span-2a" && span.span-dedicated.01 != "span-2b" }',
    '{ span.span-dedicated.01 =~ "does-not-exist" || span.span-dedicated.01 =~ "span-1.*" }',
    '{ span.span-dedicated.01 !~ "span-2.*" && span.span-dedicated.01 !~ "span-3.*" }'].map(runnerMatch),
  ...[`{ .${quoted} = "value mismatch" }`, '{ ."unknow".attribute = "res-2a" }', '{ resource."resource attribute" = "unknown" }',
    '{ resource.service.name = "does-not-exist-1" || resource.service.name = "does-not-exist-2" }',
    '{ resource.res-dedicated.01 = "res-2a" || resource.res-dedicated.01 = "res-2b" }',
    '{ span.foo!="Bar" && span.foo!="does-not-exist" }',
    '{ span.span-dedicated.01 =~ "span-2.*" && span.span-dedicated.01 =~ "span-3.*" }'].map(runnerMiss),
];

const nilMatch = trace('traceQLNilRunner', true);
const nilMiss = trace('traceQLNilRunner', false);
const nils: EvalCase[] = [
  ...['{ resource.service.name = `MyService` && resource.asdf=nil }', '{ span:name = `RootSpan` && span.foobar=nil }',
    '{ resource.service.name = `RootService` && resource.foobar=nil}', '{ resource.service.name = `MyService` && instrumentation.foobar=nil }'].map(nilMatch),
  ...['{ resource.service.name = `MyService` && resource.bat=nil }', '{ span:name = `RootSpan` && span.foo=nil }'].map(nilMiss),
];

const advanced: EvalCase[] = [
  trace('advancedTraceQLRunner', true)('{}'),
  trace('advancedTraceQLRunner', true)(`{trace:id="${EXPECTED_TRACE_ID}"}`),
  trace('advancedTraceQLRunner', true)('{ .numericString > ``}'),
  trace('advancedTraceQLRunner', false)(`{trace:id!="${EXPECTED_TRACE_ID}"}`),
];

const EXISTENCE = 'traceQLExistence';
const existence: EvalCase[] = [
  ...['{ span.foo != nil }', '{ nil != span.foo }', '{ name != nil }', '{ duration != nil }', '{ nil != duration }', '{ resource.service.name != nil }', '{ nil != resource.service.name }']
    .map(trace(EXISTENCE, true)),
  trace(EXISTENCE, false)('{ .not_an_attribute != nil }'),
  // The same condition asked of the storage ({ c }) and of the engine ({ .child } < { c }) must agree on the root span.
  ...([[' .foo != nil ', true], [' .foo != .bar ', false], [' .dne != .bar ', false], [' .foo != `` ', true], [' .dne != `` ', false], [' nil = nil ', false], [' nil != nil ', false]] as const)
    .flatMap(([condition, root]): EvalCase[] => [`{ ${condition} }`, `{ .child } < { ${condition} }`]
      .map((query) => ({ source: `${FILE} ${EXISTENCE}`, query, spans: expectedTrace, expect: { span: 'RootSpan', matched: root } }))),
];

const EVENTS = 'runEventLinkInstrumentationSearchTest';
const eventsLinksScopes: EvalCase[] = [
  '{ event.exception.message = `random error` }', '{ event.event-dedicated.01 = `event-1a` }', '{ event:name = `event name` }', '{ event:timeSinceStart > 10ms }',
  '{ link.relation = `child-of` }', `{ link:traceID = \`${EXPECTED_TRACE_ID}\` }`,
  '{ instrumentation:name = `scope-1` }', '{ instrumentation:version = `version-1` }', '{ instrumentation.scope-attr-str = `scope-attr-1` }',
].map(trace(EVENTS, true));

export const tempodbSearchCases: readonly EvalCase[] = [...suite, ...runner, ...nils, ...advanced, ...existence, ...eventsLinksScopes];
