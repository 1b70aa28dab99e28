import fc from 'fast-check';
import { jsonRequest } from '../encode-json-request.js';
import type { DecodeLimits } from '../limits.js';
import { randomSpans } from './random-spans.js';

/*
 * fast-check arbitraries of OTLP/JSON request bodies for differential tests (the JSON decoder as
 * the oracle): valid requests from randomSpans, then structure-aware mutations at random places of
 * the parsed tree: wrong types, ints as strings, big ints, enum names, bad hex, odd values, deleted,
 * unknown and misplaced fields, repeated elements, deep nesting, duplicate keys (written into the
 * text, which JSON.stringify cannot), and broken text or UTF-8.
 */

type Container = Record<string, unknown> | unknown[];

/** Values that probe the OTLP/JSON rules wherever they land. */
export const ODD_VALUES: readonly unknown[] = [
  null, 0, -1, 1.5, 1e20, 2 ** 53 + 2, 4294967295, 4294967296, -0, true, false, [], [1], {},
  '', 'x', '2500', '-42', '007', '-0', '18446744073709551615', '18446744073709551616', '9223372036854775807',
  '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '1e3', ' 1', '0x10', 'NaN', 'Infinity', '-Infinity', '1.5e300', '.5',
  'SPAN_KIND_SERVER', 'SPAN_KIND_CONSUMER', 'STATUS_CODE_ERROR', 'SPAN_KIND_BOGUS',
  '5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c', '00000000000000000000000000000000', '0000000000000000',
  'EEE19B7EC3C1B174', 'abc', 'zz', 'šš', 'AQID', 'AQ-_', 'AQ==', '@@',
  '\ud800', 'a\udc00b', 'é'.repeat(30), 'x'.repeat(100), '🌍'.repeat(9),
  { stringValue: 's' }, { intValue: '1', stringValue: 'x' }, { intValue: 7 }, { doubleValue: 'NaN' }, { bytesValue: 'AP8=' },
  { boolValue: 'true' }, { stringValue: null, boolValue: false }, { arrayValue: { values: [{ intValue: 1 }, {}, { stringValue: 'é' }] } },
  { arrayValue: [] }, { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }, { key: 'k', value: {} }] } },
  [{ key: 'a', value: { stringValue: '1' } }, { key: 'b' }, { key: 'a', value: { arrayValue: { values: [{}, {}, {}, {}, {}] } } }],
  [{ key: 'a', value: { kvlistValue: { values: [{ key: 'x' }, { key: 'y' }, { key: 'z' }, { key: 'w' }] } } }, { key: 'c', value: { intValue: '3' } }],
];

/** Field names, OTLP's and others (snake_case, unknown, prototype names), for fields added out of place. */
const FIELD_NAMES = [
  'traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'flags', 'traceState', 'startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano',
  'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'status', 'code', 'message',
  'key', 'value', 'values', 'stringValue', 'intValue', 'boolValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue',
  'resource', 'scope', 'scopeSpans', 'spans', 'resourceSpans', 'schemaUrl', 'version', 'trace_id', 'foo', '__proto__', 'constructor', 'toString',
];

/** An AnyValue nested `depth` levels, alternating arrays and kvlists. */
function deep(depth: number): unknown {
  let v: unknown = { intValue: 1 };
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { arrayValue: { values: [v] } } : { kvlistValue: { values: [{ key: 'k', value: v }] } };
  return v;
}

/** Every place in the tree: a container and a key or index in it. */
function places(root: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Container, k]);
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

export interface Mutation {
  readonly at: number;
  readonly kind: number;
  readonly pick: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), kind: fc.nat(7), pick: fc.nat() });

/** Applies mutations to a parsed request (in place) and renders it, duplicate keys included. */
export function mutate(root: Record<string, unknown>, mutations: readonly Mutation[]): string {
  const duplicates: string[] = [];
  for (const { at, kind, pick } of mutations) {
    const all = places(root);
    if (all.length === 0) break;
    const [c, k] = all[at % all.length]!;
    // A copy: later mutations change what they land in, never the shared list (nor loop it into itself).
    const odd = structuredClone(ODD_VALUES[pick % ODD_VALUES.length]);
    const target = (c as Record<string | number, unknown>)[k];
    const set = (v: unknown): void => void ((c as Record<string | number, unknown>)[k] = v);
    switch (kind) {
      case 0:
      case 1:
        set(odd);
        break;
      case 2:
        if (Array.isArray(c)) c.splice(k as number, 1);
        else delete c[k as string];
        break;
      case 3: // a field added, anywhere an object is
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          Object.defineProperty(target, FIELD_NAMES[pick % FIELD_NAMES.length]!, { value: structuredClone(ODD_VALUES[(pick >> 6) % ODD_VALUES.length]), enumerable: true, writable: true, configurable: true });
        } else set(odd);
        break;
      case 4: // an element repeated, past small limits
        if (Array.isArray(target) && target.length > 0) target.push(...Array.from({ length: 1 + (pick % 5) }, () => structuredClone(target[pick % target.length])));
        else if (Array.isArray(c)) c.push(structuredClone(target));
        break;
      case 5:
        set(deep(28 + (pick % 8)));
        break;
      case 6: // a key written twice: the later value wins, in the first one's place
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          const keys = Object.keys(target);
          const key = keys.length === 0 ? 'name' : keys[pick % keys.length]!;
          const text = JSON.stringify(target);
          const extra = `${JSON.stringify(key)}:${JSON.stringify(odd) ?? 'null'}`;
          duplicates.push((pick & 1) === 0 || text === '{}' ? `{${extra}${text === '{}' ? '' : ','}${text.slice(1)}` : `${text.slice(0, -1)},${extra}}`);
          set(`\u0001dup${duplicates.length - 1}\u0001`);
        }
        break;
      default: // an int as a number, or a time as a number
        if (typeof target === 'string' && /^\d+$/.test(target)) set(Number(target));
        else if (typeof target === 'number') set(String(target));
        else set(odd);
    }
  }
  return JSON.stringify(root).replace(/"\\u0001dup(\d+)\\u0001"/g, (_, i: string) => duplicates[Number(i)]!);
}

/** Small limits, so random requests go over them; undefined for the defaults. */
export const limitsArbitrary: fc.Arbitrary<Partial<DecodeLimits> | undefined> = fc.option(
  fc.record(
    { maxAttributes: fc.nat(4), maxEvents: fc.nat(2), maxLinks: fc.nat(2), maxArrayElements: fc.nat(4), maxValueBytes: fc.nat(24) },
    { requiredKeys: [] },
  ),
  { freq: 2 },
);

/** A valid OTLP/JSON request's text, from randomSpans. */
export const validBody: fc.Arbitrary<string> = fc.nat().map((seed) => JSON.stringify(jsonRequest(randomSpans(seed))));

/** A request body: valid, mutated, sometimes as bytes, sometimes broken text or UTF-8. */
export const bodyArbitrary: fc.Arbitrary<string | Uint8Array> = fc
  .tuple(fc.nat(), fc.array(mutation, { maxLength: 6 }), fc.nat(19), fc.nat())
  .map(([seed, mutations, form, cut]) => {
    const text = mutate(jsonRequest(randomSpans(seed)) as unknown as Record<string, unknown>, mutations);
    if (form === 0) return text.slice(0, cut % (text.length + 1));
    if (form === 1) {
      const bytes = Buffer.from(text);
      bytes[cut % bytes.length] = 0xff;
      return bytes;
    }
    return form < 6 ? Buffer.from(text) : text;
  });
