/**
 * Effect coverage: which side effects the suite's tests guard. An effect instance (see lang's
 * `findEffects`) is guarded when a check of its run matched it, or names it (`name = "x"`, also a
 * `no "x"` that passed), or an effect snapshot of its run recorded it. The rest are listed ("crm.lead
 * .create seen 3×, asserted nowhere"), per run and for the whole suite, so a team sees what its tests
 * leave unguarded.
 */
import { buildRunGraph, findEffects, namesCompared, parseAssertion } from '@tracecheck/lang';
import type { SpanSource } from '@tracecheck/model';
import type { CheckRecord, SnapshotRecord } from '@tracecheck/receiver';

/** One effect (by name and service) and how the suite covered it. */
export interface CoverageEntry {
  /** `name (svc service)`, as effect snapshots name it. */
  effect: string;
  /** Instances seen. */
  seen: number;
  /** Instances a check matched or named. */
  checked: number;
  /** Instances an effect snapshot recorded. */
  snapshotted: number;
  /** Neither: asserted nowhere. */
  unguarded: number;
}

export interface Coverage {
  /** Over every run: effects sorted with the unguarded first. */
  suite: CoverageEntry[];
  runs: { run: string; effects: CoverageEntry[] }[];
}

function namesOf(assertion: string): Set<string> {
  try {
    const ast = parseAssertion(assertion);
    return new Set([ast.selection, ...ast.clauses.flatMap((c) => (c.type === 'within' ? [] : [c.selection]))].flatMap(namesCompared));
  } catch {
    return new Set();
  }
}

const order = (a: CoverageEntry, b: CoverageEntry): number => Number(b.unguarded > 0) - Number(a.unguarded > 0) || a.effect.localeCompare(b.effect);

export function effectCoverage(store: SpanSource, checks: readonly CheckRecord[], snapshots: readonly SnapshotRecord[]): Coverage {
  const suite = new Map<string, CoverageEntry>();
  const runs: Coverage['runs'] = [];
  for (const { id } of store.runs()) {
    const effects = findEffects(buildRunGraph(store.runSpans(id)), []);
    if (effects.length === 0) continue;
    const runChecks = checks.filter((c) => c.run === id);
    const matched = new Set(runChecks.flatMap((c) => c.verdict.matches.map((m) => `${m.traceId}/${m.spanId}`)));
    const named = new Set(runChecks.flatMap((c) => [...namesOf(c.assertion)]));
    const snapped = new Set(snapshots.filter((s) => s.run === id).flatMap((s) => s.effects));
    const perRun = new Map<string, CoverageEntry>();
    for (const e of effects) {
      const key = `${e.name} (svc ${e.service})`;
      const entry = perRun.get(key) ?? { effect: key, seen: 0, checked: 0, snapshotted: 0, unguarded: 0 };
      perRun.set(key, entry);
      entry.seen++;
      const checked = matched.has(`${e.span.traceId}/${e.span.spanId}`) || named.has(e.span.name) || named.has(e.name);
      const snapshotted = snapped.has(key);
      if (checked) entry.checked++;
      if (snapshotted) entry.snapshotted++;
      if (!checked && !snapshotted) entry.unguarded++;
    }
    runs.push({ run: id, effects: [...perRun.values()].sort(order) });
    for (const e of perRun.values()) {
      const s = suite.get(e.effect) ?? { effect: e.effect, seen: 0, checked: 0, snapshotted: 0, unguarded: 0 };
      suite.set(e.effect, s);
      s.seen += e.seen;
      s.checked += e.checked;
      s.snapshotted += e.snapshotted;
      s.unguarded += e.unguarded;
    }
  }
  return { suite: [...suite.values()].sort(order), runs };
}

/** `crm.lead.create (svc api) seen 3×, asserted nowhere` for each effect no test guarded at all. */
export function unguardedLines(coverage: Coverage): string[] {
  return coverage.suite.filter((e) => e.checked === 0 && e.snapshotted === 0).map((e) => `${e.effect} seen ${e.seen}×, asserted nowhere`);
}
