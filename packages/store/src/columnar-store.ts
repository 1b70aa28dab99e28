import {
  type AddResult,
  DEFAULT_MAX_BYTES,
  DEFAULT_RETENTION_MS,
  type GrowingRunGraph,
  MAX_NAME_SEEN_LENGTH,
  MAX_NAMES_SEEN,
  RunIndex,
  type RunSummary,
  type RunUpdate,
  type Span,
  type SpanSink,
  type SpanSource,
  type SpanStoreOptions,
  MemoryCap,
  type StoreReservation,
} from '@tracecheck/model';
import { type DecodeLimits, encodeProtobufRequest, releaseSkim, type SkimResult, skimProtobufRequest, wordsOfHex } from '@tracecheck/otlp';
import { type Arena, arenaCharge, Arenas } from './arenas.js';
import { Deletion } from './deletion.js';
import { Interner } from './interner.js';
import { RowGraph } from './row-graph.js';
import { ROW_BYTES, Rows } from './rows.js';
import { SpanIndex } from './span-index.js';
import { SpanReader } from './span-reader.js';
import { TRACE_BYTES, type TraceRecord, Traces } from './traces.js';
import { reencoded } from './reencode.js';
import { Membership } from './membership.js';

// Defined beside the columns it charges for (rows.ts), and exported from here as before.
export { ROW_BYTES };

export interface ColumnarStoreOptions extends SpanStoreOptions {
  /** The limits requests were skimmed with; a view decodes its span with the same (default: DEFAULT_DECODE_LIMITS). */
  decodeLimits?: Partial<DecodeLimits>;
}

/** A store that takes skimmed requests whole: the receiver's ingest path. */
export interface SkimSink extends SpanSink {
  /** Stores rows `from` to `to` of a skim, atomically (StoreFullError over the cap); see ColumnarStore. */
  addSkim(skim: SkimResult, reservation?: StoreReservation, from?: number, to?: number): AddResult;
  /** Most bytes adding all of a skim can take. */
  estimate(skim: SkimResult): number;
  /** Deletes a run in parts of about `maxSpans` spans: 'more' until the last part; see ColumnarStore. */
  deleteRunSome(runId: string, maxSpans: number): 'done' | 'more' | 'unknown';
}

/** What the receiver holds its spans in. */
export type ReceiverStore = SpanSource & SkimSink;

/** A BigUint64Array's elements as 32-bit words (2 per element). */
function wordsOf(a: BigUint64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
}

/**
 * The receiver's span store. A request is skimmed once (`skimProtobufRequest`): its spans' index
 * fields go into typed-array columns (Rows), ids into hash tables (IdTable), names and run ids are
 * interned, and the request's bytes stay as an arena from which a span is decoded only when read
 * (SpanView). Memory is charged for arena bytes plus a fixed cost per row and per trace, so the cap
 * follows what the process holds; an arena goes when its last span does, and one mostly dead is
 * compacted. Run membership follows the same rules as the object store (inheritance.ts), and the
 * same contract tests run against both. The store takes spans in (addSkim) and answers the small
 * queries itself; reading spans out as views is SpanReader's (span-reader.ts), and deleting them
 * Deletion's (deletion.ts).
 */
export class ColumnarStore implements SpanSource, SkimSink {
  readonly maxBytes: number;
  readonly retentionMs: number;
  private readonly now: () => number;
  private readonly limits: Partial<DecodeLimits>;
  private readonly rows = new Rows();
  private readonly traces = new Traces();
  private readonly spans = new SpanIndex(this.rows);
  private readonly arenas = new Arenas();
  private readonly names = new Interner();
  private readonly runIds = new Interner();
  private readonly runIndex = new RunIndex<number>();
  private readonly membership = new Membership(this.rows, this.traces, this.runIds, this.runIndex, (rows) => this.reader.views(rows));
  private readonly namesSeen = new Set<string>();
  /**
   * The arena made for a skim being added in parts. Weak, and the arena keeps no reference to the
   * skim: its columns are garbage once the rows are copied out.
   */
  private readonly arenaOf = new WeakMap<SkimResult, { slot: number; serial: number }>();
  private arenaSerial = 0;
  /** The time columns of the skim being added, as words. */
  private adding: { startWords: Uint32Array<ArrayBufferLike>; endWords: Uint32Array<ArrayBufferLike> } = { startWords: new Uint32Array(0), endWords: new Uint32Array(0) };
  private seq = 0;
  /** Numbers each add, so a trace can tell whether it was touched by the add under way. */
  private batchSerial = 0;
  private readonly cap: MemoryCap;
  private readonly reader: SpanReader;
  private readonly deletion: Deletion;

  constructor(options: ColumnarStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.cap = new MemoryCap(this.maxBytes);
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.now = options.now ?? Date.now;
    this.limits = options.decodeLimits ?? {};
    this.reader = new SpanReader(this.rows, this.traces, this.names, this.runIds, this.runIndex, this.arenas, this.limits);
    this.deletion = new Deletion(this.rows, this.traces, this.spans, this.arenas, this.names, this.runIds, this.runIndex, this.membership, this.cap, () => this.now(), () => this.batchSerial++);
    this.traces.linkTag = (target, hi, lo) => {
      const row = this.spans.find(target, hi, lo);
      if (row < 0) return null;
      const tag = this.rows.tag[row]!;
      return tag < 0 ? undefined : this.runIds.get(tag);
    };
  }

  get usedBytes(): number {
    return this.cap.used;
  }

  get spanCount(): number {
    return this.rows.count;
  }

  get reservedByteCount(): number {
    return this.cap.reserved;
  }

  reserve(bytes: number): StoreReservation {
    return this.cap.reserve(bytes);
  }

  /**
   * Most bytes adding all of a skim can take (what to reserve before adding it in parts). Its traces
   * are counted as the runs of equal trace ids in it, at least as many as its distinct traces.
   */
  estimate(skim: SkimResult): number {
    const { ids } = skim;
    let traces = 0;
    for (let i = 0; i < skim.count; i++) {
      const w = i * 8;
      if (i === 0 || ids[w] !== ids[w - 8] || ids[w + 1] !== ids[w - 7] || ids[w + 2] !== ids[w - 6] || ids[w + 3] !== ids[w - 5]) traces++;
    }
    return arenaCharge(skim.bytes, skim.resources, skim.scopes) + skim.count * ROW_BYTES + traces * TRACE_BYTES;
  }

  /**
   * Stores plain spans (files, tests, other sources): encoded to OTLP protobuf and skimmed, so they
   * are held and read exactly like received ones. Spans with unusable ids are not stored.
   */
  add(spans: readonly Span[], reservation?: StoreReservation): AddResult {
    const skim = skimProtobufRequest(encodeProtobufRequest(spans), { limits: this.limits });
    let result: AddResult;
    try {
      result = this.addSkim(skim, reservation);
    } finally {
      releaseSkim(skim);
    }
    return { accepted: result.accepted, duplicates: spans.length - result.accepted };
  }

  /**
   * Stores rows `from` to `to` of a skimmed request, atomically: all of them, or (over the cap)
   * none. A request added in parts shares one arena; with a reservation, the part draws on it first.
   */
  addSkim(skim: SkimResult, reservation?: StoreReservation, from = 0, to = skim.count): AddResult {
    let arenaSlot = this.arenas.find(this.arenaOf.get(skim));
    const arenaCost = arenaSlot === undefined ? arenaCharge(skim.bytes, skim.resources, skim.scopes) : 0;
    const free = this.cap.room(reservation);
    // The most the part can take is every span new, each in a new trace; only when that does not
    // fit is it worth counting what is new (a first pass that changes nothing).
    if (arenaCost + (to - from) * (ROW_BYTES + TRACE_BYTES) > free) {
      const needed = this.needed(skim, from, to, arenaCost);
      if (needed === 0) return { accepted: 0, duplicates: to - from };
      this.cap.check(needed, reservation);
    }
    const { ids } = skim;
    const now = this.now();
    this.adding = { startWords: wordsOf(skim.startNanos), endWords: wordsOf(skim.endNanos) };
    // The traces the part touches, in the order first touched; each trace's rows added by this part
    // are the end of its list, from `trace.fresh` on (marked for this add by `batch`).
    const batch = this.batchSerial++;
    const touched: number[] = [];
    let taken = 0;
    let arena: Arena | undefined = arenaSlot === undefined ? undefined : this.arenas.get(arenaSlot);
    let trace: TraceRecord | undefined;
    let accepted = 0;
    for (let i = from; i < to; i++) {
      const w = i * 8;
      // Spans of a trace mostly come together: the trace found for the previous span is tried first.
      if (trace === undefined || !this.traces.is(trace, ids, w)) {
        trace = this.traces.obtain(ids, w, now);
        this.traces.touch(trace, now);
        if (this.traces.created) taken += TRACE_BYTES;
        if (trace.batch !== batch) {
          trace.batch = batch;
          trace.fresh = -1;
          touched.push(trace.slot);
        }
      }
      // A span stored before (an exporter's retry) or repeated in the request is left out.
      if (this.spans.find(trace, ids[w + 4]!, ids[w + 5]!) >= 0) continue;
      const own = reencoded(skim, i, this.limits);
      const row = this.rows.allocate();
      if (own !== undefined) taken += this.insertOwn(own, row, trace);
      else {
        if (arena === undefined) {
          const serial = this.arenaSerial++;
          arena = { serial, data: { bytes: skim.bytes, resources: skim.resources, scopes: skim.scopes }, live: 0, liveBytes: 0, charge: arenaCost };
          arenaSlot = this.arenas.add(arena);
          this.arenaOf.set(skim, { slot: arenaSlot, serial });
          taken += arenaCost;
        }
        this.insert(skim, i, row, trace, arenaSlot!, arena);
      }
      this.spans.append(trace, row);
      if (trace.fresh < 0) trace.fresh = row;
      accepted++;
    }
    taken += accepted * ROW_BYTES;
    let kept = 0;
    for (const slot of touched) {
      const t = this.traces.get(slot)!;
      if (t.first < 0) {
        // A trace made for spans that all turned out to be repeats has nothing to hold.
        this.traces.remove(t);
        taken -= TRACE_BYTES;
      } else touched[kept++] = slot;
    }
    touched.length = kept;
    this.cap.take(taken, reservation);
    if (accepted > 0) this.membership.announce(touched, batch, now);
    return { accepted, duplicates: to - from - accepted };
  }

  /** What adding rows `from` to `to` would take: the first pass of an add near the cap. */
  private needed(skim: SkimResult, from: number, to: number, arenaCost: number): number {
    const { ids } = skim;
    let fresh = 0;
    let newTraces = 0;
    for (let i = from; i < to; i++) {
      const trace = this.traces.find(ids, i * 8);
      if (trace === undefined) newTraces++;
      else if (this.spans.find(trace, ids[i * 8 + 4]!, ids[i * 8 + 5]!) >= 0) continue;
      fresh++;
    }
    // Spans repeated within the part count as new here, so this is never below what the add takes.
    return fresh === 0 ? 0 : arenaCost + fresh * ROW_BYTES + newTraces * TRACE_BYTES;
  }

  runs(): RunSummary[] {
    return this.runIndex.ids().map((id) => this.run(id)!);
  }

  run(runId: string): RunSummary | undefined {
    const entry = this.runIndex.get(runId);
    if (!entry) return undefined;
    // Counted, not listed: GET /api/runs summarizes every run.
    let spans = 0;
    this.reader.forEachRunRow(runId, () => spans++);
    return { id: runId, spans, traces: entry.traces.size, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen };
  }

  lastArrival(runId: string): number | undefined {
    return this.runIndex.get(runId)?.lastSeen;
  }

  runSpans(runId: string): Span[] {
    return this.reader.runSpans(runId);
  }

  /** The spans of a run as `runSpans` gives them, `partSize` at a time (SpanReader.runSpanParts). */
  runSpanParts(runId: string, partSize: number): Generator<Span[], void, undefined> {
    return this.reader.runSpanParts(runId, partSize);
  }

  runTraceIds(runId: string): string[] {
    return [...(this.runIndex.get(runId)?.traces ?? [])].map((slot) => this.traces.hex(slot));
  }

  traceSpans(traceId: string): Span[] {
    return this.reader.traceSpans(traceId);
  }

  hasSpan(traceId: string, spanId: string): boolean {
    const words = new Uint32Array(6);
    if (!wordsOfHex(traceId, 4, words, 0) || !wordsOfHex(spanId, 2, words, 4)) return false;
    const trace = this.traces.find(words, 0);
    return trace !== undefined && this.spans.find(trace, words[4]!, words[5]!) >= 0;
  }

  /** A graph of the run over the store's rows (RowGraph), for deciding to grow with the run's views. */
  runGraph(): GrowingRunGraph {
    return new RowGraph({ rowOf: (slot, hi, lo) => this.rowOf(slot, hi, lo) });
  }

  spanNamesSeen(): ReadonlySet<string> {
    return this.namesSeen;
  }

  subscribe(runId: string, listener: (update: RunUpdate) => void): () => void {
    return this.runIndex.subscribe(runId, listener);
  }

  deleteRun(runId: string): boolean {
    const progress = this.deleteRunSome(runId, Infinity);
    return progress !== 'unknown';
  }

  /**
   * Deletes a run in parts of about `maxSpans` spans: 'more' until the last part, which answers
   * 'done' (Deletion.deleteRunSome).
   */
  deleteRunSome(runId: string, maxSpans: number): 'done' | 'more' | 'unknown' {
    return this.deletion.deleteRunSome(runId, maxSpans);
  }

  sweep(maxSpans = Infinity): number {
    return this.deletion.sweep(this.now() - this.retentionMs, maxSpans);
  }

  /** The row of span (hi, lo) in the trace at `slot`, or -1. */
  private rowOf(slot: number, hi: number, lo: number): number {
    const trace = this.traces.get(slot);
    return trace === undefined ? -1 : this.spans.find(trace, hi, lo);
  }

  private insert(skim: SkimResult, i: number, row: number, trace: TraceRecord, arenaSlot: number, arena: Arena): void {
    const { rows } = this;
    const w = i * 8;
    const ids = skim.ids;
    rows.trace[row] = trace.slot;
    const r4 = row * 4;
    rows.ids[r4] = ids[w + 4]!;
    rows.ids[r4 + 1] = ids[w + 5]!;
    rows.ids[r4 + 2] = ids[w + 6]!;
    rows.ids[r4 + 3] = ids[w + 7]!;
    const name = skim.names[i]!;
    rows.name[row] = this.names.acquire(name);
    if (this.names.fresh && this.namesSeen.size < MAX_NAMES_SEEN && name.length <= MAX_NAME_SEEN_LENGTH) this.namesSeen.add(name);
    const tag = skim.runTags[i];
    if (tag === undefined) rows.tag[row] = -1;
    else {
      const id = this.runIds.acquire(tag);
      rows.tag[row] = id;
      // The interned string, not the request's copy: a trace keeps it as long as it is tagged.
      this.traces.tag(trace, this.runIds.get(id), 1);
    }
    rows.kind[row] = skim.kind[i]!;
    rows.status[row] = skim.statusCode[i]!;
    rows.complex[row] = skim.complex[i]!;
    rows.flags[row] = skim.flags[i]!;
    // Times copied as words: reading a BigUint64Array element would make a BigInt per span.
    const { startWords, endWords } = this.adding;
    rows.startWords[2 * row] = startWords[2 * i]!;
    rows.startWords[2 * row + 1] = startWords[2 * i + 1]!;
    rows.endWords[2 * row] = endWords[2 * i]!;
    rows.endWords[2 * row + 1] = endWords[2 * i + 1]!;
    rows.arena[row] = arenaSlot;
    const start = skim.ranges[2 * i]!;
    const end = skim.ranges[2 * i + 1]!;
    rows.range[2 * row] = start;
    rows.range[2 * row + 1] = end;
    rows.resource[row] = skim.resourceIndex[i]!;
    rows.scope[row] = skim.scopeIndex[i]!;
    rows.seq[row] = this.seq++;
    arena.live++;
    arena.liveBytes += end - start;
    for (let l = skim.linkStart[i]!; l < skim.linkStart[i + 1]!; l++) {
      if (!this.traces.is(trace, skim.linkIds, l * 6)) this.traces.link(trace, skim.linkIds, l * 6);
    }
  }

  /** Inserts the one span of `own` (a span re-encoded, reencode.ts) in an arena of its own; returns the arena's charge. */
  private insertOwn(own: SkimResult, row: number, trace: TraceRecord): number {
    try {
      const charge = arenaCharge(own.bytes, own.resources, own.scopes);
      const arena: Arena = { serial: this.arenaSerial++, data: { bytes: own.bytes, resources: own.resources, scopes: own.scopes }, live: 0, liveBytes: 0, charge };
      const adding = this.adding;
      this.adding = { startWords: wordsOf(own.startNanos), endWords: wordsOf(own.endNanos) };
      try {
        this.insert(own, 0, row, trace, this.arenas.add(arena), arena);
      } finally {
        this.adding = adding;
      }
      return charge;
    } finally {
      releaseSkim(own);
    }
  }
}
