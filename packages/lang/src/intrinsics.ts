/**
 * The TraceQL intrinsics we accept, their value types and the level they read, and the words and
 * scopes the language reserves. The checker validates against this table; the evaluator switches on
 * `canonical` and uses `level` (trace-level values can change when a late span arrives).
 */

/** Value types of field expressions, as TraceQL infers them; `attribute` is unknown until run time. */
export type ValueType = 'attribute' | 'int' | 'float' | 'duration' | 'string' | 'bool' | 'status' | 'kind' | 'nil';

/** What an intrinsic reads: the span itself, its trace, one event, one link, or its scope. */
export type IntrinsicLevel = 'span' | 'trace' | 'event' | 'link' | 'instrumentation';

/** Canonical (scoped) names of the intrinsics. */
export type CanonicalIntrinsic =
  | 'span:name' | 'span:kind' | 'span:status' | 'span:statusMessage' | 'span:duration' | 'span:id'
  | 'span:parentID' | 'span:childCount'
  | 'trace:id' | 'trace:duration' | 'trace:rootName' | 'trace:rootService'
  | 'event:name' | 'event:timeSinceStart'
  | 'link:traceID' | 'link:spanID'
  | 'instrumentation:name' | 'instrumentation:version';

/** Intrinsic names as they may be written: canonical, plus unscoped and legacy spellings. */
export type IntrinsicName =
  | CanonicalIntrinsic
  | 'name' | 'kind' | 'status' | 'statusMessage' | 'duration'
  | 'traceDuration' | 'rootName' | 'rootServiceName';

/** Facts about one intrinsic. */
export interface IntrinsicInfo {
  readonly canonical: CanonicalIntrinsic;
  readonly type: ValueType;
  readonly level: IntrinsicLevel;
}

const canonical: Record<CanonicalIntrinsic, Omit<IntrinsicInfo, 'canonical'>> = {
  'span:name': { type: 'string', level: 'span' },
  'span:kind': { type: 'kind', level: 'span' },
  'span:status': { type: 'status', level: 'span' },
  'span:statusMessage': { type: 'string', level: 'span' },
  'span:duration': { type: 'duration', level: 'span' },
  'span:id': { type: 'string', level: 'span' },
  'span:parentID': { type: 'string', level: 'span' },
  'span:childCount': { type: 'int', level: 'span' },
  'trace:id': { type: 'string', level: 'trace' },
  'trace:duration': { type: 'duration', level: 'trace' },
  'trace:rootName': { type: 'string', level: 'trace' },
  'trace:rootService': { type: 'string', level: 'trace' },
  'event:name': { type: 'string', level: 'event' },
  'event:timeSinceStart': { type: 'duration', level: 'event' },
  'link:traceID': { type: 'string', level: 'link' },
  'link:spanID': { type: 'string', level: 'link' },
  'instrumentation:name': { type: 'string', level: 'instrumentation' },
  'instrumentation:version': { type: 'string', level: 'instrumentation' },
};

const aliases: Record<Exclude<IntrinsicName, CanonicalIntrinsic>, CanonicalIntrinsic> = {
  name: 'span:name',
  kind: 'span:kind',
  status: 'span:status',
  statusMessage: 'span:statusMessage',
  duration: 'span:duration',
  traceDuration: 'trace:duration',
  rootName: 'trace:rootName',
  rootServiceName: 'trace:rootService',
};

/** Every accepted spelling with its facts. */
export const INTRINSICS: ReadonlyMap<IntrinsicName, IntrinsicInfo> = new Map<IntrinsicName, IntrinsicInfo>([
  ...Object.entries(canonical).map(([n, info]) => [n as IntrinsicName, { canonical: n as CanonicalIntrinsic, ...info }] as const),
  ...Object.entries(aliases).map(([n, c]) => [n as IntrinsicName, { canonical: c, ...canonical[c] }] as const),
]);

/** Facts about an intrinsic spelling, or undefined when the name is not one. */
export function intrinsicInfo(name: string): IntrinsicInfo | undefined {
  return INTRINSICS.get(name as IntrinsicName);
}

/** Scopes that prefix intrinsics (`span:name`). */
export const INTRINSIC_SCOPES = ['span', 'trace', 'event', 'link', 'instrumentation'] as const;

/** Scopes that prefix attributes (`span.x`); unscoped is written `.x`. */
export const ATTRIBUTE_SCOPES = ['span', 'resource', 'event', 'link', 'instrumentation'] as const;

/** TraceQL fields we recognise but do not support (assertions use structural operators instead). */
export const UNSUPPORTED_FIELDS: ReadonlySet<string> = new Set(['parent', 'nestedSetLeft', 'nestedSetRight', 'nestedSetParent']);

/** Status and kind words. */
export const STATUS_VALUES = ['ok', 'error', 'unset'] as const;
export const KIND_VALUES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
