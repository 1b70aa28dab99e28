/*
 * Run-id inheritance, shared by every store (docs/language.md, "Runs"). A span tagged
 * `test.run.id = R` belongs to R only. An untagged span belongs to the runs tagged on any span of
 * its trace; when none is, to the runs of the spans its trace's spans link to, transitively.
 * Spans arrive in any order, so membership is recomputed for every trace a batch can affect.
 *
 * The store's own trace records are read through `InheritanceGraph`, keyed however the store keys
 * its traces (hex ids, table slots).
 */

/** What inheritance reads and writes of one trace. */
export interface InheritingTrace {
  /** The runs of the trace's untagged spans; recomputed here. */
  runs: ReadonlySet<string>;
  /** Run id -> number of the trace's spans tagged with it. */
  readonly tagged: ReadonlyMap<string, number>;
}

export interface InheritanceGraph<K> {
  trace(key: K): InheritingTrace | undefined;
  /** The traces whose spans link into trace `key` (a superset is fine: it only widens the work). */
  linkedBy(key: K): Iterable<K>;
  /**
   * Calls `visit` for each link of the trace's spans to a stored span of another trace: with that
   * span's tag, or with undefined and the target trace's key when the span is untagged.
   */
  forEachLinkTarget(key: K, visit: (tag: string | undefined, target: K) => void): void;
  /** True when no trace links to another: a trace's runs are then its tags alone (optional). */
  unlinked?(): boolean;
  /**
   * The set a trace tagged with exactly this run has as its runs. Optional: a store that keeps one
   * per run spares a set per trace, as inheritance never changes a set it made.
   */
  onlyRun?(run: string): ReadonlySet<string>;
}

export const NO_RUNS: ReadonlySet<string> = new Set();

/**
 * Recomputes the inherited runs of the touched traces and of every trace that links into them,
 * transitively, as a least fixpoint (so a cycle of links cannot keep a stale run alive). Returns the
 * runs each affected trace had before, for the caller to update its run index and tell subscribers;
 * the touched traces come in it in the order given (each followed by the traces linking into it).
 *
 * The fixpoint is computed by propagation, not by repeated passes: each affected untagged trace
 * starts from the runs it gets from outside the affected set (tagged link targets, traces whose
 * runs cannot change), then every run a trace gains is passed once along each link into it. The
 * cost is linear in the affected traces' links (times the runs that flow along them), where
 * recomputing every trace until nothing changed was quadratic in a chain of linked traces.
 */
export function reinherit<K>(graph: InheritanceGraph<K>, touched: Iterable<K>): Map<K, ReadonlySet<string>> {
  const affected = new Set<K>();
  // Reversed, so the touched traces are taken, and returned, in the order given: a store adds them
  // to its runs in this order, and a run whose traces arrived one after another then lists its
  // spans in arrival order without sorting them.
  const stack = [...touched].reverse();
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (affected.has(key)) continue;
    affected.add(key);
    for (const src of graph.linkedBy(key)) if (!affected.has(src)) stack.push(src);
  }
  const old = new Map<K, ReadonlySet<string>>();
  /** Untagged affected traces: their runs are being recomputed. */
  const open = new Map<K, InheritingTrace>();
  for (const key of affected) {
    const trace = graph.trace(key);
    if (!trace) continue;
    old.set(key, trace.runs);
    if (trace.tagged.size === 0) {
      trace.runs = NO_RUNS;
      open.set(key, trace);
    } else if (!sameKeys(trace.runs, trace.tagged)) {
      trace.runs = trace.tagged.size === 1 && graph.onlyRun ? graph.onlyRun(trace.tagged.keys().next().value!) : new Set(trace.tagged.keys());
    }
    // (Unchanged, the set is kept: the caller sees `runs === before` and has nothing to announce
    // beyond the new spans; a batch of spans of traces already in their runs allocates nothing here.)
  }
  // Every affected trace is tagged (the common batch), or no trace links anywhere: nothing to propagate.
  if (open.size === 0) return old;
  if (graph.unlinked?.()) {
    for (const trace of open.values()) trace.runs = NO_RUNS;
    return old;
  }
  // Seed each open trace with what it inherits from outside the open set; record which open
  // traces pass their runs to which (target -> the open traces linking to its untagged spans).
  const dependents = new Map<K, Set<K>>();
  const pending = new Map<K, Set<string>>();
  const gain = (key: K, runs: Set<string>, run: string): void => {
    if (runs.has(run)) return;
    runs.add(run);
    let p = pending.get(key);
    if (!p) pending.set(key, (p = new Set()));
    p.add(run);
  };
  for (const [key, trace] of open) {
    const runs = new Set<string>();
    trace.runs = runs;
    graph.forEachLinkTarget(key, (tag, target) => {
      if (tag !== undefined) gain(key, runs, tag);
      else if (open.has(target)) {
        let deps = dependents.get(target);
        if (!deps) dependents.set(target, (deps = new Set()));
        deps.add(key);
      } else for (const r of graph.trace(target)?.runs ?? NO_RUNS) gain(key, runs, r);
    });
  }
  // Pass each gained run along each link once.
  const queue = [...pending.keys()];
  while (queue.length > 0) {
    const key = queue.pop()!;
    const delta = pending.get(key);
    if (!delta) continue;
    pending.delete(key);
    for (const dep of dependents.get(key) ?? []) {
      const runs = open.get(dep)!.runs as Set<string>;
      const hadPending = pending.has(dep);
      for (const r of delta) gain(dep, runs, r);
      if (!hadPending && pending.has(dep)) queue.push(dep);
    }
  }
  for (const trace of open.values()) if (trace.runs.size === 0) trace.runs = NO_RUNS;
  return old;
}

function sameKeys(runs: ReadonlySet<string>, tagged: ReadonlyMap<string, number>): boolean {
  if (runs.size !== tagged.size) return false;
  for (const r of tagged.keys()) if (!runs.has(r)) return false;
  return true;
}
