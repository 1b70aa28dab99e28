import { type AnyValue, type Attributes, type InstrumentationScope, READ_ATTRIBUTE, type Resource, type Span, type SpanEvent, type SpanKind, type SpanLink, type SpanStatus, type StatusCode } from '@tracecheck/model';
import { type DecodeLimits, decodeSpanRange, findSpanAttribute, hexOfPair, LazyAttributes, spanHasField, spanTraceState, type SpanRangeRef } from '@tracecheck/otlp';
import type { ArenaData } from './arenas.js';

const NONE: readonly never[] = Object.freeze([]);
const EVENTS = 0x5a;
const LINKS = 0x6a;

const TWO_32 = 2n ** 32n;
/** A 64-bit value from its (high, low) words. */
export const fromWords = (hi: number, lo: number): bigint => BigInt(hi >>> 0) * TWO_32 + BigInt(lo >>> 0);

/** Words per view in a ViewBatch, and where each field is. */
export const W = 19;
const ROW = 0;
const SLOT = 1;
const SPAN_HI = 2;
const SPAN_LO = 3;
const PARENT_HI = 4;
const PARENT_LO = 5;
const START_HI = 6;
const START_LO = 7;
const END_HI = 8;
const END_LO = 9;
const RANGE_START = 10;
const RANGE_END = 11;
/** kind | status code << 8 | complex << 16 */
const ENUMS = 12;
const FLAGS = 13;
const RESOURCE = 14;
const SCOPE = 15;
/** Indexes into the batch's tables: of its distinct span names, of its trace ids, of its arenas. */
const NAME = 16;
const TRACE = 17;
const ARENA = 18;
export const VIEW_WORDS = { ROW, SLOT, SPAN_HI, SPAN_LO, PARENT_HI, PARENT_LO, START_HI, START_LO, END_HI, END_LO, RANGE_START, RANGE_END, ENUMS, FLAGS, RESOURCE, SCOPE, NAME, TRACE, ARENA } as const;

/**
 * The views made by one read of the store (a run's spans, an update), with what they copied out of
 * the store's columns: W words each in one Int32Array, and small tables of the objects they share
 * (span names, trace ids, arenas), which a view's words index. A hundred thousand views are then a
 * hundred thousand small objects, one typed array and a few short arrays, not a few million fields
 * for the garbage collector to trace, nor arrays of a hundred thousand slots each.
 */
export class ViewBatch {
  constructor(
    readonly words: Int32Array,
    /** The distinct span names. */
    readonly names: readonly string[],
    /** A trace id per run of consecutive views of one trace. */
    readonly traceIds: readonly string[],
    /** The distinct arenas (a request's bytes, resources and scopes). */
    readonly arenas: readonly ArenaData[],
    readonly limits: Partial<DecodeLimits>,
  ) {}
}

/** What a view decodes or formats, kept once read: made with the first such read. */
interface ViewCache {
  full?: Span;
  /** The attributes as a map, once asked for whole (a check reading one key by `READ_ATTRIBUTE` makes none). */
  attrs?: Attributes;
  spanId?: string;
  parentSpanId?: string;
  start?: bigint;
  end?: bigint;
  traceState?: string;
}

/**
 * A stored span as the model's `Span`, decoded as it is read. What the store's columns hold was
 * copied into the view's batch when it was made, so a view stays right after its row is reused or
 * its arena compacted (it keeps the bytes it was made over). Attributes are looked up by key in the
 * bytes without building a map; the trace state is read alone; events, links and the rest are
 * decoded, once, on first read.
 *
 * Views are made for one piece of work (a check, a response) and cache what it decoded: the cache
 * goes with them, never into the store.
 */
export class SpanView implements Span, SpanRangeRef {
  private c: ViewCache | undefined;

  constructor(
    private readonly b: ViewBatch,
    private readonly at: number,
  ) {}

  private w(field: number): number {
    return this.b.words[this.at * W + field]!;
  }

  private cache(): ViewCache {
    return (this.c ??= {});
  }

  /** The row the span had when the view was made, and its trace's slot (a RowGraph indexes by them). */
  get row(): number {
    return this.w(ROW);
  }

  get slot(): number {
    return this.w(SLOT);
  }

  /** Span id, parent id, start and end time as signed 32-bit words. */
  get spanHi(): number {
    return this.w(SPAN_HI);
  }

  get spanLo(): number {
    return this.w(SPAN_LO);
  }

  get parentHi(): number {
    return this.w(PARENT_HI);
  }

  get parentLo(): number {
    return this.w(PARENT_LO);
  }

  get startHi(): number {
    return this.w(START_HI);
  }

  get startLo(): number {
    return this.w(START_LO);
  }

  get endHi(): number {
    return this.w(END_HI);
  }

  get endLo(): number {
    return this.w(END_LO);
  }

  get bytes(): Uint8Array {
    return this.b.arenas[this.w(ARENA)]!.bytes;
  }

  get start(): number {
    return this.w(RANGE_START);
  }

  get end(): number {
    return this.w(RANGE_END);
  }

  get complex(): boolean {
    return (this.w(ENUMS) & 0x10000) !== 0;
  }

  get limits(): Partial<DecodeLimits> {
    return this.b.limits;
  }

  get traceId(): string {
    return this.b.traceIds[this.w(TRACE)]!;
  }

  get name(): string {
    return this.b.names[this.w(NAME)]!;
  }

  get kind(): SpanKind {
    return (this.w(ENUMS) & 0xff) as SpanKind;
  }

  get flags(): number {
    return this.w(FLAGS) >>> 0;
  }

  get resource(): Resource {
    return this.b.arenas[this.w(ARENA)]!.resources[this.w(RESOURCE)]!;
  }

  get scope(): InstrumentationScope {
    return this.b.arenas[this.w(ARENA)]!.scopes[this.w(SCOPE)]!;
  }

  get spanId(): string {
    return (this.cache().spanId ??= hexOfPair(this.spanHi, this.spanLo));
  }

  get parentSpanId(): string {
    const c = this.cache();
    c.parentSpanId ??= this.parentHi === 0 && this.parentLo === 0 ? '' : hexOfPair(this.parentHi, this.parentLo);
    return c.parentSpanId;
  }

  get startTimeUnixNano(): bigint {
    return (this.cache().start ??= fromWords(this.startHi, this.startLo));
  }

  get endTimeUnixNano(): bigint {
    return (this.cache().end ??= fromWords(this.endHi, this.endLo));
  }

  get status(): SpanStatus {
    // The code is a column; only the message needs the bytes.
    return new LazyStatus(((this.w(ENUMS) >> 8) & 0xff) as StatusCode, this);
  }

  /** One attribute, found in the span's bytes: no attribute map made (see `spanAttribute`). */
  [READ_ATTRIBUTE](key: string): AnyValue | undefined {
    return this.c?.attrs !== undefined || this.complex ? this.attributes.get(key) : findSpanAttribute(this.bytes, this.start, this.end, key);
  }

  get attributes(): Attributes {
    const c = this.cache();
    c.attrs ??= this.complex ? this.decoded().attributes : new LazyAttributes(this);
    return c.attrs;
  }

  get traceState(): string {
    const c = this.cache();
    c.traceState ??= (this.complex ? undefined : spanTraceState(this.bytes, this.start, this.end)) ?? this.decoded().traceState;
    return c.traceState;
  }

  get droppedAttributesCount(): number {
    return this.decoded().droppedAttributesCount;
  }

  get events(): readonly SpanEvent[] {
    return this.lacks(EVENTS) ? NONE : this.decoded().events;
  }

  get droppedEventsCount(): number {
    return this.decoded().droppedEventsCount;
  }

  get links(): readonly SpanLink[] {
    return this.lacks(LINKS) ? NONE : this.decoded().links;
  }

  /** True when a simple span has no field `tag` at all (no decoding needed to say it has none). */
  private lacks(tag: number): boolean {
    return this.c?.full === undefined && !this.complex && spanHasField(this.bytes, this.start, this.end, tag) === false;
  }

  get droppedLinksCount(): number {
    return this.decoded().droppedLinksCount;
  }

  /** The span decoded whole (cached). */
  decoded(): Span {
    const c = this.cache();
    c.full ??= decodeSpanRange(this.bytes, this.start, this.end, this.resource, this.scope, this.limits);
    return c.full;
  }
}

/** A view's status: the code from the columns, the message decoded when read. */
class LazyStatus implements SpanStatus {
  constructor(
    readonly code: StatusCode,
    private readonly view: SpanView,
  ) {}

  get message(): string {
    return this.view.decoded().status.message;
  }
}
