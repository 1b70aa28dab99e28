import { formatNanos, PAYLOAD_ATTRIBUTE } from '@tracecheck/lang';
import type { JsonAnyValue, JsonKeyValue, JsonSpan } from '@tracecheck/model';

/** A span's details as index.html's script shows them when its row is clicked (short keys: one per span). */
export interface SpanDetails {
  /** name, span id, trace id, parent span id, kind, status, start (ISO), duration, scope */
  h: [string, string][];
  /** attributes (without effect.payload) */
  a: [string, string][];
  /** effect.payload, pretty-printed when it is JSON */
  p?: string;
  /** index into the run's resources */
  r: number;
  /** events: offset from the span's start, name, attributes */
  e: [string, string, [string, string][]][];
  /** links: trace id, span id, attributes */
  l: [string, string, [string, string][]][];
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES = ['unset', 'ok', 'error'];
const MAX_VALUE = 4000;
const MAX_PAYLOAD = 16_000;

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters; the run file has all)`);

function plain(v: JsonAnyValue): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return `base64:${v.bytesValue}`;
  if ('arrayValue' in v) return v.arrayValue.values.map(plain);
  if ('kvlistValue' in v) return Object.fromEntries(v.kvlistValue.values.map((kv) => [kv.key, plain(kv.value)]));
  return null;
}

/** A value as text: strings as they are, other scalars as written, arrays and maps as JSON. */
export function valueText(v: JsonAnyValue): string {
  const p = plain(v);
  return cut(typeof p === 'string' ? p : JSON.stringify(p), MAX_VALUE);
}

const pairs = (kvs: readonly JsonKeyValue[]): [string, string][] => kvs.map((kv) => [kv.key, valueText(kv.value)]);

function payloadText(v: JsonAnyValue): string {
  const p = plain(v);
  if (typeof p !== 'string') return cut(JSON.stringify(p, null, 2), MAX_PAYLOAD);
  try {
    return cut(JSON.stringify(JSON.parse(p), null, 2), MAX_PAYLOAD);
  } catch {
    return cut(p, MAX_PAYLOAD);
  }
}

export function serviceOf(s: JsonSpan): string {
  const v = s.resource.attributes.find((kv) => kv.key === 'service.name')?.value;
  return v === undefined ? '' : valueText(v);
}

export function durationText(s: JsonSpan): string {
  return formatNanos(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano));
}

/** The details of a run's spans, each resource listed once (a run's spans share a few). */
export function spanDetails(spans: readonly JsonSpan[]): { resources: [string, string][][]; spans: SpanDetails[] } {
  const resources: [string, string][][] = [];
  const resourceIndex = new Map<string, number>();
  const out = spans.map((s): SpanDetails => {
    const res = pairs(s.resource.attributes);
    const key = JSON.stringify(res);
    let r = resourceIndex.get(key);
    if (r === undefined) {
      r = resources.push(res) - 1;
      resourceIndex.set(key, r);
    }
    const start = BigInt(s.startTimeUnixNano);
    const payload = s.attributes.find((kv) => kv.key === PAYLOAD_ATTRIBUTE);
    const status = `${STATUSES[s.status.code] ?? s.status.code}${s.status.message === '' ? '' : `: ${s.status.message}`}`;
    const dropped = [
      [s.droppedAttributesCount, 'attributes'],
      [s.droppedEventsCount, 'events'],
      [s.droppedLinksCount, 'links'],
    ].filter(([n]) => n !== 0);
    return {
      h: [
        ['name', s.name],
        ['span id', s.spanId],
        ['trace id', s.traceId],
        ['parent span id', s.parentSpanId === '' ? '(root)' : s.parentSpanId],
        ['kind', KINDS[s.kind] ?? String(s.kind)],
        ['status', status],
        ['start', new Date(Number(start / 1_000_000n)).toISOString()],
        ['duration', durationText(s)],
        ['scope', `${s.scope.name}${s.scope.version === '' ? '' : ` ${s.scope.version}`}`],
        ...(dropped.length === 0 ? [] : [['dropped', dropped.map(([n, what]) => `${n} ${what}`).join(', ')] as [string, string]]),
      ],
      a: pairs(s.attributes.filter((kv) => kv.key !== PAYLOAD_ATTRIBUTE)),
      ...(payload === undefined ? {} : { p: payloadText(payload.value) }),
      r,
      e: s.events.map((e) => [`+${formatNanos(BigInt(e.timeUnixNano) - start)}`, e.name, pairs(e.attributes)]),
      l: s.links.map((l) => [l.traceId, l.spanId, pairs(l.attributes)]),
    };
  });
  return { resources, spans: out };
}
