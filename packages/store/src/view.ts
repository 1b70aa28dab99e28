import type { Attributes, InstrumentationScope, Resource, Span, SpanEvent, SpanKind, SpanLink, SpanStatus, StatusCode } from '@tracecheck/model';
import { type DecodeLimits, decodeSpanRange, LazyAttributes } from '@tracecheck/otlp';
import { hexOfPair } from './hex.js';

/** What a view copies out of the store's columns when it is made. */
export interface ViewFields {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
  readonly complex: boolean;
  readonly limits: Partial<DecodeLimits>;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly traceId: string;
  /** Span id and parent id words, as signed 32-bit ints (small ints cost V8 nothing to hold). */
  readonly spanHi: number;
  readonly spanLo: number;
  readonly parentHi: number;
  readonly parentLo: number;
  readonly name: string;
  readonly kind: SpanKind;
  readonly statusCode: StatusCode;
  readonly flags: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
}

/**
 * A stored span as the model's `Span`, decoded as it is read. The index fields were copied out of
 * the store's columns when the view was made, so a view stays right after its row is reused or its
 * arena compacted (it keeps the bytes it was made over). Attributes are looked up by key in the
 * bytes without building a map; events, links and the rest are decoded, once, on first read.
 *
 * Views are made for one piece of work (a check, a response) and cache what it decoded: the cache
 * goes with them, never into the store.
 */
export class SpanView implements Span {
  private full: Span | undefined;
  private attrs: Attributes | undefined;
  private ids: { spanId: string; parentSpanId: string } | undefined;
  private statusView: SpanStatus | undefined;

  constructor(private readonly f: ViewFields) {}

  get traceId(): string {
    return this.f.traceId;
  }

  get spanId(): string {
    return this.idText().spanId;
  }

  get parentSpanId(): string {
    return this.idText().parentSpanId;
  }

  get name(): string {
    return this.f.name;
  }

  get kind(): SpanKind {
    return this.f.kind;
  }

  get flags(): number {
    return this.f.flags;
  }

  get startTimeUnixNano(): bigint {
    return this.f.startTimeUnixNano;
  }

  get endTimeUnixNano(): bigint {
    return this.f.endTimeUnixNano;
  }

  get resource(): Resource {
    return this.f.resource;
  }

  get scope(): InstrumentationScope {
    return this.f.scope;
  }

  get status(): SpanStatus {
    // The code is a column; only the message needs the bytes.
    this.statusView ??= Object.defineProperty({ code: this.f.statusCode } as SpanStatus, 'message', {
      get: () => this.decoded().status.message,
      enumerable: true,
    });
    return this.statusView;
  }

  get attributes(): Attributes {
    const { f } = this;
    this.attrs ??= f.complex ? this.decoded().attributes : new LazyAttributes(f);
    return this.attrs;
  }

  get traceState(): string {
    return this.decoded().traceState;
  }

  get droppedAttributesCount(): number {
    return this.decoded().droppedAttributesCount;
  }

  get events(): readonly SpanEvent[] {
    return this.decoded().events;
  }

  get droppedEventsCount(): number {
    return this.decoded().droppedEventsCount;
  }

  get links(): readonly SpanLink[] {
    return this.decoded().links;
  }

  get droppedLinksCount(): number {
    return this.decoded().droppedLinksCount;
  }

  /** A plain object with every field, for code that spreads or serializes spans. */
  toJSON(): Span {
    return this.decoded();
  }

  private decoded(): Span {
    const { f } = this;
    this.full ??= decodeSpanRange(f.bytes, f.start, f.end, f.resource, f.scope, f.limits);
    return this.full;
  }

  private idText(): { spanId: string; parentSpanId: string } {
    const { f } = this;
    this.ids ??= {
      spanId: hexOfPair(f.spanHi, f.spanLo),
      parentSpanId: f.parentHi === 0 && f.parentLo === 0 ? '' : hexOfPair(f.parentHi, f.parentLo),
    };
    return this.ids;
  }
}
