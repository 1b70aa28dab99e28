/**
 * Span data for the cases transcribed from Tempo's evaluation tests, written as small specs and
 * built into model spans. Tempo's tests use several representations (mock spans with nested-set
 * numbers, vparquet rows, OTLP protos); a spec says the same facts in OTLP terms: a label, the parent
 * by label, attributes by scope, events and links.
 */
import type { AnyValue, Attributes, Span } from '@tracecheck/model';
import { createSpan } from '@tracecheck/model';

/** A float attribute value, so that `f(1)` is the double 1.0 rather than the int 1. */
export class Float {
  constructor(readonly value: number) {}
}

export const f = (value: number): Float => new Float(value);

type Scalar = string | boolean | number | bigint | Float;
/** Attribute values: integral numbers are ints (use `f()` for an integral float), arrays are OTLP arrays. */
export type AttrValue = Scalar | readonly Scalar[];

export type KindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusName = 'unset' | 'ok' | 'error';

/** One span of a fixture. Omitted fields take neutral defaults (internal kind, unset status, 1 ms long). */
export interface SpanSpec {
  readonly label: string;
  /** The trace, by label (default `t`). */
  readonly trace?: string;
  /** Hex ids when a query names them; otherwise derived from the label. */
  readonly traceId?: string;
  readonly spanId?: string;
  /** The parent span: a label in the fixture, or a raw hex id (a parent not in the data). */
  readonly parent?: string;
  readonly name?: string;
  readonly kind?: KindName;
  readonly status?: StatusName;
  readonly statusMessage?: string;
  readonly startNs?: bigint;
  readonly durationNs?: bigint;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly resource?: Readonly<Record<string, AttrValue>>;
  readonly scope?: { readonly name?: string; readonly version?: string; readonly attrs?: Readonly<Record<string, AttrValue>> };
  readonly events?: readonly { readonly name: string; readonly sinceStartNs?: bigint; readonly attrs?: Readonly<Record<string, AttrValue>> }[];
  readonly links?: readonly { readonly traceId: string; readonly spanId: string; readonly attrs?: Readonly<Record<string, AttrValue>> }[];
}

const KINDS: Record<KindName, 0 | 1 | 2 | 3 | 4 | 5> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUSES: Record<StatusName, 0 | 1 | 2> = { unset: 0, ok: 1, error: 2 };

function scalar(v: Scalar): AnyValue {
  if (v instanceof Float) return { type: 'double', value: v.value };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: v };
  return Number.isInteger(v) ? { type: 'int', value: BigInt(v) } : { type: 'double', value: v };
}

function attributes(obj: Readonly<Record<string, AttrValue>> | undefined): Attributes {
  const m = new Map<string, AnyValue>();
  for (const [k, v] of Object.entries(obj ?? {})) m.set(k, Array.isArray(v) ? { type: 'array', value: (v as readonly Scalar[]).map(scalar) } : scalar(v as Scalar));
  return m;
}

function hexOf(text: string, width: number): string {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return (h.toString(16) + '1').padStart(width, '0').slice(-width);
}

/** The spans of a fixture, and the label of each (the runner reports matches by label). */
export interface BuiltFixture {
  readonly spans: readonly Span[];
  readonly label: ReadonlyMap<Span, string>;
}

const BASE_NS = 1_000_000_000_000n;

/** Builds the spans of a fixture; ids are stable, so a case can name them. */
export function buildFixture(specs: readonly SpanSpec[]): BuiltFixture {
  const spanIds = new Map<string, string>();
  for (const s of specs) spanIds.set(s.label, s.spanId ?? hexOf(`span:${s.label}`, 16));
  const label = new Map<Span, string>();
  const spans = specs.map((s) => {
    const start = s.startNs ?? BASE_NS;
    const span = createSpan({
      traceId: s.traceId ?? hexOf(`trace:${s.trace ?? 't'}`, 32),
      spanId: spanIds.get(s.label)!,
      parentSpanId: s.parent === undefined ? '' : (spanIds.get(s.parent) ?? s.parent),
      name: s.name ?? '',
      kind: KINDS[s.kind ?? 'internal'],
      status: { code: STATUSES[s.status ?? 'unset'], message: s.statusMessage ?? '' },
      startTimeUnixNano: start,
      endTimeUnixNano: start + (s.durationNs ?? 1_000_000n),
      attributes: attributes(s.attrs),
      resource: { attributes: attributes(s.resource), droppedAttributesCount: 0, schemaUrl: '' },
      scope: { name: s.scope?.name ?? '', version: s.scope?.version ?? '', attributes: attributes(s.scope?.attrs), droppedAttributesCount: 0, schemaUrl: '' },
      events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: start + (e.sinceStartNs ?? 0n), attributes: attributes(e.attrs) })),
      links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: attributes(l.attrs) })),
    });
    label.set(span, s.label);
    return span;
  });
  return { spans, label };
}
