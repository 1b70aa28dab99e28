/**
 * Effect snapshots: a deterministic, human-readable document of what a workflow did to the outside
 * world. Effects are grouped by name and service with their count; each group shows its call
 * (method, host and route, status), chosen attributes, and its payload's shape (keys and JSON types,
 * values only where pinned); then the order between effects where it is causal (one inside or
 * triggered by the other) or sequential (the same parent ran one after the other ended). Nothing
 * volatile: no ids, times, durations or ports, and groups and lines in a stable order, so the same
 * flow gives the same text run after run, concurrency included.
 */
import type { Span } from '@tracecheck/model';
import type { RunGraph } from '../eval/graph.js';
import { buildRunGraph } from '../eval/graph.js';
import { type EffectInstance, findEffects } from './effects.js';
import { addToShape, emptyShape, type Shape, shapeLines, type ShapeRules } from './shape.js';

/** What a snapshot includes; every option has a default. */
export interface SnapshotOptions {
  /** Span attributes to record (their values), beside the call. Default none. */
  attributes?: readonly string[];
  /** Payload paths whose values are recorded, not only their type (`currency`, `items[].sku`). */
  pin?: readonly string[];
  /** Payload paths left out (`meta.requestId`). */
  ignore?: readonly string[];
  /** Effects left out, by name (exact text, or a RegExp tested on `name` and on `name (svc service)`). */
  exclude?: readonly (string | RegExp)[];
  /** The value the SDK writes for a masked secret (never recorded even when pinned). Default `[REDACTED]`. */
  redacted?: string;
}

/** The first line of every snapshot (and the marker `parseSnapshot` looks for). */
export const SNAPSHOT_HEADER = '# tracecheck effect snapshot';

interface Group {
  readonly key: string;
  readonly instances: EffectInstance[];
}

const keyOf = (e: EffectInstance): string => `${e.name} (svc ${e.service})`;

/**
 * How much an effect may seem to end after the next one started and still count as before it: an
 * `effect()` span ends in a promise callback that can run just after the code awaiting the same
 * promise has started the next effect (microseconds), and clocks have millisecond steps. The same
 * tolerance `after` / `before` clauses allow.
 */
const SEQUENCE_TOLERANCE_NS = 1_000_000n;

/** Joins the two groups of an edge (a character no span name is printed with). */
const EDGE = '\u0000';

function excluded(e: EffectInstance, rules: readonly (string | RegExp)[]): boolean {
  return rules.some((r) => (typeof r === 'string' ? r === e.name || r === keyOf(e) : r.test(e.name) || r.test(keyOf(e))));
}

/**
 * Edges between groups: `a → b` when an instance of b runs inside an instance of a, or is triggered
 * by it through a link (a queue hop), or when both have the same parent and every such pair has a
 * ending before b started. Returned as a transitive reduction, so the text lists direct steps only.
 */
function orderEdges(graph: RunGraph, effects: readonly EffectInstance[], groupOf: ReadonlyMap<Span, string>): Set<string> {
  const edges = new Map<string, Set<string>>();
  const add = (a: string, b: string): void => {
    if (a === b) return;
    let set = edges.get(a);
    if (set === undefined) edges.set(a, (set = new Set()));
    set.add(b);
  };
  const byKey = new Map<string, Span>();
  for (const e of effects) byKey.set(`${e.span.traceId}/${e.span.spanId}`, e.span);
  // Causal: an ancestor (in the trace) of b, or a span b's ancestors link to, is an effect.
  for (const e of effects) {
    const trace = graph.traceOf(e.span);
    const b = groupOf.get(e.span)!;
    let s: Span | undefined = e.span;
    for (let i = 0; s !== undefined && i < trace.spans.length; i++) {
      if (s !== e.span && groupOf.has(s)) add(groupOf.get(s)!, b);
      for (const link of s.links) {
        const target = byKey.get(`${link.traceId}/${link.spanId}`);
        if (target !== undefined) add(groupOf.get(target)!, b);
      }
      s = trace.parent(s);
    }
  }
  // Sequential: siblings under one parent, one ended before the other started; any overlap or
  // reversal between two groups' siblings means no order between them.
  const siblings = new Map<string, EffectInstance[]>();
  for (const e of effects) {
    if (e.span.parentSpanId === '') continue;
    const k = `${e.span.traceId}/${e.span.parentSpanId}`;
    siblings.set(k, [...(siblings.get(k) ?? []), e]);
  }
  const before = new Map<string, 'yes' | 'no'>();
  for (const list of siblings.values()) {
    for (const x of list) {
      for (const y of list) {
        const a = groupOf.get(x.span)!;
        const b = groupOf.get(y.span)!;
        if (a === b) continue;
        const k = `${a}\u0000${b}`;
        const ok = x.span.endTimeUnixNano <= y.span.startTimeUnixNano + SEQUENCE_TOLERANCE_NS;
        const reverse = y.span.endTimeUnixNano <= x.span.startTimeUnixNano + SEQUENCE_TOLERANCE_NS;
        if (!ok && !reverse) before.set(k, 'no').set(`${b}\u0000${a}`, 'no');
        else if (ok && before.get(k) !== 'no') before.set(k, 'yes');
      }
    }
  }
  for (const [k, v] of before) {
    const [a, b] = k.split('\u0000') as [string, string];
    if (v === 'yes' && before.get(`${b}\u0000${a}`) !== 'yes') add(a, b);
  }
  // Transitive reduction: drop a → c when a → b → ... → c.
  const reachable = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(edges.get(n) ?? []));
    }
    return false;
  };
  const out = new Set<string>();
  for (const [a, set] of edges) {
    for (const b of set) if (![...set].some((n) => n !== b && reachable(n, b))) out.add(`${a}${EDGE}${b}`);
  }
  return out;
}

/** Groups in a stable order: along the order edges where there are some, by name otherwise. */
function orderGroups(keys: readonly string[], edges: ReadonlySet<string>): string[] {
  const incoming = new Map(keys.map((k) => [k, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = e.split(EDGE) as [string, string];
    incoming.set(b, (incoming.get(b) ?? 0) + 1);
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const ready = keys.filter((k) => incoming.get(k) === 0).sort();
  const out: string[] = [];
  while (ready.length > 0) {
    const k = ready.shift()!;
    out.push(k);
    for (const b of next.get(k) ?? []) {
      incoming.set(b, incoming.get(b)! - 1);
      if (incoming.get(b) === 0) {
        ready.push(b);
        ready.sort();
      }
    }
  }
  // A cycle (a → b by timing, b → a by cause) cannot be ordered: its groups follow by name.
  return [...out, ...keys.filter((k) => !out.includes(k)).sort()];
}

function groupLines(group: Group, attributeKeys: readonly string[], rules: ShapeRules): string[] {
  const lines = [`${group.key} ×${group.instances.length}`];
  const calls = [...new Set(group.instances.map((e) => e.call).filter((c): c is string => c !== undefined))].sort();
  for (const c of calls) lines.push(`  call: ${c}`);
  const errors = group.instances.filter((e) => e.error).length;
  if (errors > 0) lines.push(`  errors: ${errors}`);
  for (const key of attributeKeys) {
    const values = [...new Set(group.instances.map((e) => e.attributes.get(key)).filter((v): v is string => v !== undefined))].sort();
    if (values.length > 0) lines.push(`  ${key}: ${values.map((v) => JSON.stringify(v)).join(' | ')}`);
  }
  const withPayload = group.instances.filter((e) => e.hasPayload);
  if (withPayload.length > 0) {
    const shape: Shape = emptyShape();
    let unreadable = 0;
    for (const e of withPayload) {
      if (e.payload === undefined) unreadable++;
      else addToShape(shape, e.payload, '', rules);
    }
    const fields = shapeLines(shape, '    ');
    const top = [...shape.types].filter((t) => t !== 'object').sort();
    lines.push(`  payload:${top.length > 0 ? ` ${top.join(' | ')}` : ''}${withPayload.length < group.instances.length ? ` (in ${withPayload.length} of ${group.instances.length})` : ''}`);
    if (unreadable > 0) lines.push(`    (not JSON or cut at the SDK's cap: ${unreadable})`);
    lines.push(...fields);
  }
  return lines;
}

/** The effect snapshot of a run's spans, as text. */
export function effectSnapshot(spans: readonly Span[] | RunGraph, options: SnapshotOptions = {}): string {
  const graph = Array.isArray(spans) ? buildRunGraph(spans as readonly Span[]) : (spans as RunGraph);
  const attributeKeys = [...new Set(options.attributes ?? [])].sort();
  const rules: ShapeRules = { pin: new Set(options.pin ?? []), ignore: new Set(options.ignore ?? []), redacted: options.redacted ?? '[REDACTED]' };
  const effects = findEffects(graph, attributeKeys).filter((e) => !excluded(e, options.exclude ?? []));
  const groups = new Map<string, Group>();
  const groupOf = new Map<Span, string>();
  for (const e of effects) {
    const key = keyOf(e);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { key, instances: [] }));
    g.instances.push(e);
    groupOf.set(e.span, key);
  }
  const edges = orderEdges(graph, effects, groupOf);
  const lines = [SNAPSHOT_HEADER];
  if (groups.size === 0) lines.push('(no effects)');
  for (const key of orderGroups([...groups.keys()], edges)) lines.push(...groupLines(groups.get(key)!, attributeKeys, rules));
  if (edges.size > 0) lines.push('order:', ...[...edges].map((e) => `  ${e.replace(EDGE, ' → ')}`).sort());
  return `${lines.join('\n')}\n`;
}
