import { estimateSpanBytes } from './span-size.js';
import { type Span, type SpanLink, taggedRunId } from './span.js';
import { RunIndex, type RunSummary, type RunUpdate } from './run-index.js';
import type { AddResult, SpanSource, SpanSink, StoreReservation } from './span-source.js';
import { MemoryCap } from './memory-cap.js';

export { StoreFullError } from './memory-cap.js';
import { type InheritanceGraph, NO_RUNS, reinherit } from './inheritance.js';

/** Limits of a store; every one has a default sized for one CI job. */
export interface SpanStoreOptions {
  /** Estimated bytes of span data the store may hold before `add` refuses (default 512 MiB). */
  maxBytes?: number;
  /** Runs (and untagged traces) quiet for longer than this are dropped by `sweep` (default 10 min). */
  retentionMs?: number;
  /** Clock in ms since the epoch; injectable for tests of retention. */
  now?: () => number;
}

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
export const DEFAULT_RETENTION_MS = 10 * 60 * 1000;


/** One stored span and what the store knows of it. */
interface SpanRecord {
  readonly span: Span;
  readonly seq: number;
  readonly tag: string | undefined;
  readonly bytes: number;
}

/** The spans of one trace, and the runs its untagged spans inherit. */
interface TraceEntry {
  readonly id: string;
  readonly spans: Map<string, SpanRecord>;
  /** Run id -> number of spans of this trace tagged with it. */
  readonly tagged: Map<string, number>;
  /** Links from this trace's spans to spans of other traces. */
  readonly links: SpanLink[];
  /** The runs of this trace's untagged spans (inheritance.ts; docs/language.md, "Runs"). */
  runs: ReadonlySet<string>;
  lastSeen: number;
}


/** Bound on the span names remembered for typo hints (a service naming spans by id would be unbounded). */
export const MAX_NAMES_SEEN = 10_000;
/** Longest span name remembered for typo hints. */
export const MAX_NAME_SEEN_LENGTH = 256;

/**
 * A span store of plain span objects: spans indexed by trace and run, with run-id inheritance
 * (inheritance.ts), and subscribers told of every span that joins their run. It holds what the CLI
 * reads from files and what the Tempo source fetches; the receiver keeps its spans in the columnar
 * store of @tracecheck/store, which follows the same contract (its tests run against both).
 */
export class SpanStore implements SpanSource, SpanSink {
  readonly maxBytes: number;
  readonly retentionMs: number;
  private readonly now: () => number;
  private readonly traces = new Map<string, TraceEntry>();
  /** Target trace id -> ids of the traces whose spans link into it. */
  private readonly linkedBy = new Map<string, Set<string>>();
  private readonly runIndex = new RunIndex();
  /** Every span name ever stored (deletion does not forget), up to MAX_NAMES_SEEN: typo hints read it. */
  private readonly namesSeen = new Set<string>();
  private readonly inheritance: InheritanceGraph<string> = {
    trace: (id) => this.traces.get(id),
    linkedBy: (id) => this.linkedBy.get(id) ?? [],
    forEachLinkTarget: (id, visit) => {
      for (const link of this.traces.get(id)?.links ?? []) {
        const target = this.traces.get(link.traceId);
        const linked = target?.spans.get(link.spanId);
        if (target && linked) visit(linked.tag, target.id);
      }
    },
  };
  private seq = 0;
  private count = 0;
  private readonly cap: MemoryCap;

  constructor(options: SpanStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.cap = new MemoryCap(this.maxBytes);
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  get usedBytes(): number {
    return this.cap.used;
  }

  get spanCount(): number {
    return this.count;
  }

  /** Bytes set aside by reservations and not yet used. */
  get reservedByteCount(): number {
    return this.cap.reserved;
  }

  /**
   * Sets aside `bytes` of the cap for a batch that will be added in parts, each part passed to
   * `add` with the reservation, so other batches cannot take the room in between. Throws
   * StoreFullError (nothing set aside) when they do not fit beside what is stored and reserved.
   */
  reserve(bytes: number): StoreReservation {
    return this.cap.reserve(bytes);
  }

  /**
   * Stores a batch atomically: all of it, or (over the memory cap) none of it. With a reservation,
   * the batch draws on it first.
   */
  add(spans: readonly Span[], reservation?: StoreReservation): AddResult {
    const fresh: SpanRecord[] = [];
    const seen = new Set<string>();
    let needed = 0;
    for (const span of spans) {
      const key = span.traceId + span.spanId;
      if (seen.has(key) || this.traces.get(span.traceId)?.spans.has(span.spanId)) continue;
      seen.add(key);
      const bytes = estimateSpanBytes(span);
      needed += bytes;
      fresh.push({ span, seq: 0, tag: taggedRunId(span), bytes });
    }
    this.cap.check(needed, reservation);
    this.cap.take(needed, reservation);
    const now = this.now();
    const added = new Map<string, SpanRecord[]>();
    for (const draft of fresh) {
      const rec: SpanRecord = { ...draft, seq: this.seq++ };
      this.insert(rec, now);
      const list = added.get(rec.span.traceId);
      if (list) list.push(rec);
      else added.set(rec.span.traceId, [rec]);
    }
    this.count += fresh.length;
    this.reinherit(added, now);
    return { accepted: fresh.length, duplicates: spans.length - fresh.length };
  }

  /** Every run with at least one span, tagged or inherited. */
  runs(): RunSummary[] {
    return this.runIndex.ids().map((id) => this.run(id)!);
  }

  /** A run's summary, or undefined when no span belongs to it. */
  run(runId: string): RunSummary | undefined {
    const entry = this.runIndex.get(runId);
    if (!entry) return undefined;
    // Counted, not listed: listing sorts the run's spans, which GET /api/runs would do for every run.
    let spans = 0;
    for (const traceId of entry.traces) {
      for (const rec of this.traces.get(traceId)?.spans.values() ?? []) if (rec.tag === undefined || rec.tag === runId) spans++;
    }
    return { id: runId, spans, traces: entry.traces.size, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen };
  }

  /** Receive time of the run's latest span (ms since the epoch), or undefined for an unknown run. */
  lastArrival(runId: string): number | undefined {
    return this.runIndex.get(runId)?.lastSeen;
  }

  /** The spans of a run, tagged and inherited, in arrival order; [] for an unknown run. */
  runSpans(runId: string): Span[] {
    const entry = this.runIndex.get(runId);
    if (!entry) return [];
    const recs: SpanRecord[] = [];
    for (const traceId of entry.traces) {
      for (const rec of this.traces.get(traceId)?.spans.values() ?? []) {
        if (rec.tag === undefined || rec.tag === runId) recs.push(rec);
      }
    }
    return recs.sort((a, b) => a.seq - b.seq).map((r) => r.span);
  }

  /** The ids of the traces that have spans in the run. */
  runTraceIds(runId: string): string[] {
    return [...(this.runIndex.get(runId)?.traces ?? [])];
  }

  /** All stored spans of a trace, in arrival order. */
  traceSpans(traceId: string): Span[] {
    return [...(this.traces.get(traceId)?.spans.values() ?? [])].map((r) => r.span);
  }

  /** True when a span with these ids is stored. */
  hasSpan(traceId: string, spanId: string): boolean {
    return this.traces.get(traceId)?.spans.has(spanId) ?? false;
  }

  /**
   * Names of every span the store ever held, runs since deleted included (at most the first
   * MAX_NAMES_SEEN distinct names): a check naming a span nobody ever sent is most likely a typo.
   */
  spanNamesSeen(): ReadonlySet<string> {
    return this.namesSeen;
  }

  /**
   * Calls `listener` synchronously after each `add` that brings spans into the run (new spans, or
   * stored spans that just inherited the run). Returns the unsubscribe function.
   */
  subscribe(runId: string, listener: (update: RunUpdate) => void): () => void {
    return this.runIndex.subscribe(runId, listener);
  }

  /**
   * Forgets a run: spans tagged with it, and untagged spans that belong to no other run. Spans that
   * also belong to other runs stay. Returns false for an unknown run.
   */
  deleteRun(runId: string): boolean {
    const entry = this.runIndex.get(runId);
    if (!entry) return false;
    const touched = new Set<string>();
    for (const traceId of [...entry.traces]) {
      const trace = this.traces.get(traceId);
      if (!trace) continue;
      const shared = [...trace.runs].some((r) => r !== runId);
      for (const rec of [...trace.spans.values()]) {
        if (rec.tag === runId || (rec.tag === undefined && !shared)) this.remove(trace, rec);
      }
      touched.add(traceId);
    }
    this.runIndex.drop(runId);
    this.reinherit(new Map([...touched].map((id) => [id, []])), this.now());
    return true;
  }

  /**
   * Applies retention: drops runs with no new span for longer than `retentionMs`, and traces that
   * belong to no run and have been quiet as long. Returns the number of spans dropped. With
   * `maxSpans`, stops starting on another run or trace once that many were dropped, so a caller
   * can spread a large sweep over several turns of its event loop (call again while it returns
   * at least `maxSpans`).
   */
  sweep(maxSpans = Infinity): number {
    const before = this.count;
    const cutoff = this.now() - this.retentionMs;
    for (const id of this.runIndex.ids()) {
      if (before - this.count >= maxSpans) return before - this.count;
      const run = this.runIndex.get(id);
      if (run !== undefined && run.lastSeen < cutoff) this.deleteRun(id);
    }
    for (const trace of [...this.traces.values()]) {
      if (before - this.count >= maxSpans) return before - this.count;
      if (trace.lastSeen < cutoff && trace.runs.size === 0 && trace.tagged.size === 0) {
        for (const rec of [...trace.spans.values()]) this.remove(trace, rec);
      }
    }
    return before - this.count;
  }

  private insert(rec: SpanRecord, now: number): void {
    const { span } = rec;
    let trace = this.traces.get(span.traceId);
    if (!trace) {
      trace = { id: span.traceId, spans: new Map(), tagged: new Map(), links: [], runs: NO_RUNS, lastSeen: now };
      this.traces.set(span.traceId, trace);
    }
    trace.spans.set(span.spanId, rec);
    trace.lastSeen = now;
    if (rec.tag !== undefined) trace.tagged.set(rec.tag, (trace.tagged.get(rec.tag) ?? 0) + 1);
    // Names are remembered past their spans, outside the memory cap: only short ones (a typo hint
    // for a name of a megabyte helps nobody), so the set stays within MAX_NAMES_SEEN × 256 characters.
    if (this.namesSeen.size < MAX_NAMES_SEEN && span.name.length <= MAX_NAME_SEEN_LENGTH) this.namesSeen.add(span.name);
    for (const link of span.links) {
      if (link.traceId === span.traceId) continue;
      trace.links.push(link);
      let sources = this.linkedBy.get(link.traceId);
      if (!sources) this.linkedBy.set(link.traceId, (sources = new Set()));
      sources.add(span.traceId);
    }
  }

  private remove(trace: TraceEntry, rec: SpanRecord): void {
    trace.spans.delete(rec.span.spanId);
    if (rec.tag !== undefined) {
      const n = (trace.tagged.get(rec.tag) ?? 1) - 1;
      if (n > 0) trace.tagged.set(rec.tag, n);
      else trace.tagged.delete(rec.tag);
    }
    this.cap.used -= rec.bytes;
    this.count--;
    if (trace.spans.size === 0) {
      this.traces.delete(trace.id);
      for (const r of trace.runs) this.runIndex.removeTrace(r, trace.id);
      for (const r of trace.tagged.keys()) this.runIndex.removeTrace(r, trace.id);
      // linkedBy entries pointing from this trace are left; they only widen recomputation.
    }
  }

  /**
   * Recomputes run membership for the traces a batch (or a deletion) touched and those linking into
   * them (inheritance.ts), then updates the run index and tells subscribers which spans joined
   * their runs.
   */
  private reinherit(added: Map<string, SpanRecord[]>, now: number): void {
    const old = reinherit<string>(this.inheritance, added.keys());
    const joined = new Map<string, Span[]>();
    const join = (run: string, span: Span) => {
      let list = joined.get(run);
      if (!list) joined.set(run, (list = []));
      list.push(span);
    };
    for (const [id, before] of old) {
      const trace = this.traces.get(id)!;
      for (const r of before) if (!trace.runs.has(r)) this.runIndex.removeTrace(r, id);
      for (const r of trace.runs) this.runIndex.addTrace(r, id, now);
      const fresh = added.get(id) ?? [];
      for (const rec of fresh) {
        if (rec.tag !== undefined) join(rec.tag, rec.span);
        else for (const r of trace.runs) join(r, rec.span);
      }
      // Only when the trace gained a run do its older untagged spans join it too.
      const gained = [...trace.runs].filter((r) => !before.has(r));
      if (gained.length === 0) continue;
      const freshSet = new Set(fresh);
      for (const rec of trace.spans.values()) {
        if (rec.tag === undefined && !freshSet.has(rec)) for (const r of gained) join(r, rec.span);
      }
    }
    for (const [run, spans] of joined) this.runIndex.touch(run, now, spans);
  }
}
