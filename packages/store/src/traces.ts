import { type InheritanceGraph, type InheritingTrace, NO_RUNS } from '@tracecheck/model';
import { hexOfWords } from '@tracecheck/otlp';
import { IdTable } from './id-table.js';

const NOT_TAGGED: ReadonlyMap<string, number> = new Map();
const NO_SLOTS: readonly number[] = [];

/**
 * The `tagged` of a trace whose spans are tagged with one run only, the common case (a test tags
 * its spans with its run): with a Map per trace, the maps and their tables were a fifth of the
 * objects the garbage collector marked in a store of many traces, at every full collection.
 */
class OneRun implements ReadonlyMap<string, number> {
  constructor(
    readonly run: string,
    public count: number,
  ) {}

  get size(): number {
    return 1;
  }

  get(key: string): number | undefined {
    return key === this.run ? this.count : undefined;
  }

  has(key: string): boolean {
    return key === this.run;
  }

  forEach(visit: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    visit(this.count, this.run, this);
  }

  keys(): MapIterator<string> {
    return [this.run].values();
  }

  values(): MapIterator<number> {
    return [this.count].values();
  }

  entries(): MapIterator<[string, number]> {
    return [[this.run, this.count] as [string, number]].values();
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/** One trace: its rows, and what run inheritance needs of it. Keyed by a slot number. */
export interface TraceRecord extends InheritingTrace {
  readonly slot: number;
  /** The first and last rows of its stored spans (in arrival order, linked by `Rows.next`); -1 when none. */
  first: number;
  last: number;
  /** How many rows it has, and whether they are in the span id table (SpanIndex). */
  count: number;
  indexed: boolean;
  /** The add that last touched the trace (a serial), and its first row of that add (-1 for none). */
  batch: number;
  fresh: number;
  /** Run id -> number of its spans tagged with it (a shared empty map while none is; a OneRun while one is). */
  tagged: ReadonlyMap<string, number>;
  /** Its spans' links to spans of other traces: 6 words each (trace id, span id), as the skim lists them. */
  links: number[] | undefined;
  runs: ReadonlySet<string>;
}

/** Bytes a trace is charged: its record, its table entry and share of the run index. */
export const TRACE_BYTES = 320;

/**
 * The store's traces: ids in an IdTable (4 words each, no hex strings kept), a record per slot, and
 * who links to whom for run inheritance.
 */
export class Traces {
  private readonly table = new IdTable(4);
  private ids = new Uint32Array(4 * 256);
  /**
   * When each slot's trace last got a span (ms), for retention. A column, not a record field: a
   * time is no small integer, and as a field it was a boxed number per trace for the collector.
   */
  private seen = new Float64Array(256);
  private readonly records: (TraceRecord | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /**
   * Target trace id (hex) -> slots of the traces linking into it. Keyed by hex because the target
   * may not have arrived yet; only traces with links have entries, and a trace removes its own
   * entries when its last span goes.
   */
  private readonly linkedBy = new Map<string, Set<number>>();
  private readonly scratch = new Uint32Array(4);
  /** The runs of traces tagged with one run, one set per run id in use (see `forgetRun`). */
  private readonly onlyRuns = new Map<string, ReadonlySet<string>>();

  readonly inheritance: InheritanceGraph<number> = {
    trace: (slot) => this.records[slot],
    linkedBy: (slot) => (this.linkedBy.size === 0 ? NO_SLOTS : (this.linkedBy.get(this.hex(slot)) ?? NO_SLOTS)),
    forEachLinkTarget: (slot, visit) => {
      const links = this.records[slot]?.links;
      if (links === undefined) return;
      for (let i = 0; i < links.length; i += 6) {
        const target = this.find(links, i);
        if (target === undefined) continue;
        const tag = this.linkTag(target, links[i + 4]!, links[i + 5]!);
        if (tag !== null) visit(tag, target.slot);
      }
    },
    unlinked: () => this.linkedBy.size === 0,
    onlyRun: (run) => {
      let runs = this.onlyRuns.get(run);
      if (runs === undefined) this.onlyRuns.set(run, (runs = new Set([run])));
      return runs;
    },
  };

  /**
   * The tag of the span a link names in `target` (undefined for an untagged span), or null when it
   * is not stored. Set by the store, which owns the rows.
   */
  linkTag: (target: TraceRecord, spanHi: number, spanLo: number) => string | undefined | null = () => null;

  get size(): number {
    return this.table.size;
  }

  get(slot: number): TraceRecord | undefined {
    return this.records[slot];
  }

  /** The trace whose id is words[at..at+4), if stored. */
  find(words: ArrayLike<number>, at: number): TraceRecord | undefined {
    const s = this.scratch;
    for (let k = 0; k < 4; k++) s[k] = words[at + k]!;
    const slot = this.table.get(s);
    return slot < 0 ? undefined : this.records[slot];
  }

  /** Whether the last `obtain` made its trace. */
  created = false;

  /** The trace with this id, made when new (`created` tells which). */
  obtain(words: Uint32Array, at: number, now: number): TraceRecord {
    const slot = this.freeSlots.length > 0 ? this.freeSlots[this.freeSlots.length - 1]! : this.records.length;
    const found = this.table.insertIfAbsent(words, at, slot);
    this.created = found < 0;
    if (found >= 0) return this.records[found]!;
    if (slot !== this.records.length) this.freeSlots.pop();
    if ((slot + 1) * 4 > this.ids.length) {
      const grown = new Uint32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
      const seen = new Float64Array(this.seen.length * 2);
      seen.set(this.seen);
      this.seen = seen;
    }
    for (let k = 0; k < 4; k++) this.ids[slot * 4 + k] = words[at + k]!;
    this.seen[slot] = now;
    const trace: TraceRecord = { slot, first: -1, last: -1, count: 0, indexed: false, batch: -1, fresh: -1, tagged: NOT_TAGGED, links: undefined, runs: NO_RUNS };
    this.records[slot] = trace;
    return trace;
  }

  /** Notes that the trace got a span at `now` (ms). */
  touch(trace: TraceRecord, now: number): void {
    this.seen[trace.slot] = now;
  }

  /** When the trace last got a span (ms). */
  lastSeen(trace: TraceRecord): number {
    return this.seen[trace.slot]!;
  }

  tag(trace: TraceRecord, run: string, delta: 1 | -1): void {
    const current = trace.tagged;
    if (current instanceof OneRun && current.run === run) {
      current.count += delta;
      if (current.count === 0) trace.tagged = NOT_TAGGED;
      return;
    }
    if (current === NOT_TAGGED) {
      if (delta > 0) trace.tagged = new OneRun(run, delta);
      return;
    }
    // A second run: a Map from now on.
    const tagged = current instanceof OneRun ? new Map([[current.run, current.count]]) : (current as Map<string, number>);
    const n = (tagged.get(run) ?? 0) + delta;
    if (n > 0) tagged.set(run, n);
    else tagged.delete(run);
    trace.tagged = tagged.size === 0 ? NOT_TAGGED : tagged;
  }

  /** Drops the shared set of a run id no stored span is tagged with any more. */
  forgetRun(run: string): void {
    this.onlyRuns.delete(run);
  }

  /** Records a link from a span of `trace` to the span `words[at..at+6)` of another trace. */
  link(trace: TraceRecord, words: ArrayLike<number>, at: number): void {
    const links = (trace.links ??= []);
    for (let k = 0; k < 6; k++) links.push(words[at + k]!);
    const target = hexOfWords(words, at, 4);
    let sources = this.linkedBy.get(target);
    if (!sources) this.linkedBy.set(target, (sources = new Set()));
    sources.add(trace.slot);
  }

  /** True when words[at..at+4) is the id of `trace`. */
  is(trace: TraceRecord, words: ArrayLike<number>, at: number): boolean {
    const base = trace.slot * 4;
    return this.ids[base] === words[at] && this.ids[base + 1] === words[at + 1] && this.ids[base + 2] === words[at + 2] && this.ids[base + 3] === words[at + 3];
  }

  /** Forgets a trace whose last span went. */
  remove(trace: TraceRecord): void {
    const links = trace.links;
    if (links !== undefined) {
      for (let i = 0; i < links.length; i += 6) {
        const target = hexOfWords(links, i, 4);
        const sources = this.linkedBy.get(target);
        sources?.delete(trace.slot);
        if (sources?.size === 0) this.linkedBy.delete(target);
      }
    }
    this.table.delete(this.ids, trace.slot * 4);
    this.records[trace.slot] = undefined;
    this.freeSlots.push(trace.slot);
  }

  /** The trace id of a slot, as hex. */
  hex(slot: number): string {
    return hexOfWords(this.ids, slot * 4, 4);
  }

  /** Every stored trace. */
  *all(): Iterable<TraceRecord> {
    for (const t of this.records) if (t !== undefined) yield t;
  }
}
