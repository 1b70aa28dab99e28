/**
 * The difference between two effect snapshots, as a review comment would put it:
 *   `fulfillment.webhook.send (svc worker) payload: - order_id: string  + orderId: string`
 *   `email.send (svc worker): 1 → 2`
 *   `- crm.lead.create (svc api) ×1` (an effect no longer made), `+ ...` (a new one)
 *   `order: - a → b`, `order: + b → a`
 * It reads the snapshot text back (`parseSnapshot`), so a stored file compares with a new run.
 */
import { SNAPSHOT_HEADER } from './snapshot.js';

/** A snapshot read back: each group's count and its facts (lines, with their section path). */
export interface ParsedSnapshot {
  readonly groups: ReadonlyMap<string, { readonly count: number; readonly facts: readonly string[] }>;
  readonly order: readonly string[];
}

/** Thrown for text that is not an effect snapshot. */
export class SnapshotFormatError extends Error {
  readonly code = 'SNAPSHOT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** Reads snapshot text back into groups and order lines. */
export function parseSnapshot(text: string): ParsedSnapshot {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== SNAPSHOT_HEADER) throw new SnapshotFormatError(`not an effect snapshot: the first line should be '${SNAPSHOT_HEADER}'`);
  const groups = new Map<string, { count: number; facts: string[] }>();
  const order: string[] = [];
  let current: { count: number; facts: string[] } | undefined;
  let inOrder = false;
  // The section path of each indentation level, so a nested line is read as `payload.items[].sku: string`.
  const path: string[] = [];
  for (const raw of lines.slice(1)) {
    if (raw.trim() === '' || raw.trim() === '(no effects)') continue;
    const indent = indentOf(raw);
    const line = raw.trim();
    if (indent === 0) {
      inOrder = line === 'order:';
      if (inOrder) continue;
      const m = /^(.*) ×(\d+)$/.exec(line);
      if (m === null) throw new SnapshotFormatError(`unexpected line '${line}': a group line ends with ×count`);
      current = { count: Number(m[2]), facts: [] };
      groups.set(m[1]!, current);
      path.length = 0;
      continue;
    }
    if (inOrder) {
      order.push(line);
      continue;
    }
    if (current === undefined) throw new SnapshotFormatError(`'${line}' comes before any group`);
    const level = indent / 2 - 1;
    path.length = Math.max(0, level);
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const prefix = path.filter((p) => p !== '').join('.');
    current.facts.push(prefix === '' ? line : `${prefix}.${line}`);
    path[level] = name;
  }
  return { groups, order };
}

/** The section of a fact (`payload`, `call`) and the rest (`order_id: string`). */
function split(fact: string): { section: string; rest: string } {
  const dot = fact.indexOf('.');
  const colon = fact.indexOf(':');
  if (dot > 0 && (colon < 0 || dot < colon)) return { section: fact.slice(0, dot), rest: fact.slice(dot + 1) };
  return { section: fact.slice(0, colon < 0 ? fact.length : colon), rest: fact };
}

/** Review-style lines for what changed from `before` to `after`; [] when they agree. */
export function diffSnapshots(before: string, after: string): string[] {
  const a = parseSnapshot(before);
  const b = parseSnapshot(after);
  const out: string[] = [];
  for (const [key, g] of a.groups) if (!b.groups.has(key)) out.push(`- ${key} ×${g.count} (no longer made)`);
  for (const [key, g] of b.groups) if (!a.groups.has(key)) out.push(`+ ${key} ×${g.count} (new)`);
  for (const [key, ga] of a.groups) {
    const gb = b.groups.get(key);
    if (gb === undefined) continue;
    if (ga.count !== gb.count) out.push(`${key}: ${ga.count} → ${gb.count}`);
    const removed = ga.facts.filter((f) => !gb.facts.includes(f));
    const added = gb.facts.filter((f) => !ga.facts.includes(f));
    const sections = [...new Set([...removed, ...added].map((f) => split(f).section))];
    for (const section of sections) {
      const minus = removed.filter((f) => split(f).section === section).map((f) => split(f).rest);
      const plus = added.filter((f) => split(f).section === section).map((f) => split(f).rest);
      const head = section === 'payload' || section === 'call' || section === 'errors' ? `${key} ${section}:` : `${key}:`;
      out.push(`${head} ${[...minus.map((m) => `- ${m}`), ...plus.map((p) => `+ ${p}`)].join('  ')}`);
    }
  }
  for (const o of a.order) if (!b.order.includes(o)) out.push(`order: - ${o}`);
  for (const o of b.order) if (!a.order.includes(o)) out.push(`order: + ${o}`);
  return out;
}
