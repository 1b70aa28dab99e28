import { emptyAttributes } from '@tracecheck/model';
import type { InstrumentationScope, Resource, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { Rejections, spanPath } from './decode-result.js';
import type { DecodeResult } from './decode-result.js';
import { spanKindOf, statusCodeOf } from './enums.js';
import { invalidIdReason, normalizeParentId } from './ids.js';
import { withDecodeErrors } from './proto-reader.js';
import { ESTIMATE } from './limits.js';
import { ValueReader } from './value-reader.js';

/*
 * The hand-written ExportTraceServiceRequest decoder: walks the wire format with protobufjs's
 * low-level Reader and builds model spans directly, with no intermediate message objects. It must
 * behave exactly like the generic decoder (decode-protobuf-generic.ts), which follows protobufjs's
 * generated code:
 * - a field whose wire type does not match the schema is skipped like an unknown field;
 * - a scalar seen twice: the last value wins; a singular message seen twice is merged (its repeated
 *   fields append); a oneof member replaces the others, merging only into the same member;
 * - every length-delimited message narrows reader.len to its end, so nothing reads past it.
 * Tags are compared whole (field number << 3 | wire type), hence the hex constants below.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);

/** Message nesting depth inside a Span message: request 0, ResourceSpans 1, ScopeSpans 2, Span 3. */
const SPAN_DEPTH = 3;

/**
 * The OTLP message structure; attribute values and the limits are ValueReader's, wire-level reading
 * is WireReader's. The skim (skim/) extends it: it walks requests with the same code and replaces
 * `span` with a pass that keeps only index fields.
 */
export class ReaderDecoder extends ValueReader {
  private readonly spans: Span[] = [];
  protected readonly rejections = new Rejections();
  /**
   * Places where the walk may pause (after each span, ScopeSpans and ResourceSpans) passed for each
   * yield of `request`: the full decoder yields at every one; the skim, for which a yield through
   * three generators is a noticeable part of a span's cost, at every few or none.
   */
  protected yieldEvery = 1;
  private sinceYield = 0;

  result(): DecodeResult {
    this.meter.flush();
    this.counts.truncatedValues = this.truncatedValues;
    return this.rejections.result(this.spans, this.counts, this.limits);
  }

  /** Yields after every `yieldEvery` spans: the sliced decoder may pause there. */
  *request(): Generator<void, void, void> {
    const r = this.r;
    let index = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        const outer = this.enter();
        yield* this.resourceSpans(index++);
        this.leave(outer);
        this.fieldsSincePause = 0;
        if (this.mayPause()) yield; // also between empty ones: 64 MiB of them is 30 million
      } else this.skip(tag);
    }
  }

  private *resourceSpans(rsIndex: number): Generator<void, void, void> {
    const r = this.r;
    const resource: Mutable<Resource> = { attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: '' };
    let ssIndex = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        const outer = this.enter();
        this.resource(resource);
        this.leave(outer);
      } else if (tag === 0x12) {
        const outer = this.enter();
        yield* this.scopeSpans(resource, rsIndex, ssIndex++);
        this.leave(outer);
        this.fieldsSincePause = 0;
        if (this.mayPause()) yield;
      } else if (tag === 0x1a) resource.schemaUrl = this.str();
      else this.skip(tag);
    }
  }

  private mayPause(): boolean {
    if (++this.sinceYield < this.yieldEvery) return false;
    this.sinceYield = 0;
    return true;
  }

  private resource(resource: Mutable<Resource>): void {
    const r = this.r;
    this.dropped = 0;
    // Merged like any singular message seen twice: a count not repeated keeps its earlier value.
    let droppedAttributesCount = resource.droppedAttributesCount;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) resource.attributes = this.keyValue(resource.attributes, 1);
      else if (tag === 0x10) droppedAttributesCount = r.uint32();
      else this.skip(tag);
    }
    resource.droppedAttributesCount = droppedAttributesCount + this.dropped;
    this.spend(1);
  }

  private *scopeSpans(resource: Resource, rsIndex: number, ssIndex: number): Generator<void, void, void> {
    const r = this.r;
    const scope: Mutable<InstrumentationScope> = {
      name: '',
      version: '',
      attributes: emptyAttributes,
      droppedAttributesCount: 0,
      schemaUrl: '',
    };
    let spanIndex = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        const outer = this.enter();
        this.scope(scope);
        this.leave(outer);
      } else if (tag === 0x12) {
        const outer = this.enter();
        this.span(resource, scope, rsIndex, ssIndex, spanIndex++);
        this.leave(outer);
        this.fieldsSincePause = 0;
        if (this.mayPause()) yield;
      } else if (tag === 0x1a) scope.schemaUrl = this.str();
      else this.skip(tag);
    }
  }

  private scope(scope: Mutable<InstrumentationScope>): void {
    const r = this.r;
    this.dropped = 0;
    let droppedAttributesCount = scope.droppedAttributesCount;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) scope.name = this.str();
      else if (tag === 0x12) scope.version = this.str();
      else if (tag === 0x1a) scope.attributes = this.keyValue(scope.attributes, 1);
      else if (tag === 0x20) droppedAttributesCount = r.uint32();
      else this.skip(tag);
    }
    scope.droppedAttributesCount = droppedAttributesCount + this.dropped;
    this.spend(1);
  }

  /** One Span message (the reader narrowed to it): kept, or rejected for its ids. */
  protected span(resource: Resource, scope: InstrumentationScope, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const span = this.readSpan(resource, scope);
    // The normalized parent id ('' for 8 zero bytes) is valid exactly when the one sent is.
    const reason = invalidIdReason(span.traceId, span.spanId, span.parentSpanId);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      return;
    }
    this.spans.push(span);
    this.meter.spend(ESTIMATE.span);
    this.spend(0);
  }

  /**
   * The Span message at bytes [start, end) of the request, as the request's decode reads it (same
   * nesting depth for skipped groups); its ids are not checked. For spans of a request already read
   * without an error.
   */
  spanAt(start: number, end: number, resource: Resource, scope: InstrumentationScope): Span {
    this.narrowToSpan(start, end);
    return withDecodeErrors(this.r, () => this.readSpan(resource, scope));
  }

  /** Points the reader at the Span message at [start, end), as if the request's walk had entered it. */
  protected narrowToSpan(start: number, end: number): void {
    this.r.pos = start;
    this.r.len = end;
    this.depth = SPAN_DEPTH;
    this.fieldsSincePause = 0;
  }

  /** Decodes the Span message the reader is narrowed to, within the limits, ids as sent. */
  protected readSpan(resource: Resource, scope: InstrumentationScope): Span {
    const r = this.r;
    let traceId = '';
    let spanId = '';
    let parentSpanId = '';
    let traceState = '';
    let flags = 0;
    let name = '';
    let kind = 0;
    let startTimeUnixNano = 0n;
    let endTimeUnixNano = 0n;
    let attributes = emptyAttributes;
    let droppedAttributesCount = 0;
    let events: SpanEvent[] | undefined;
    let droppedEventsCount = 0;
    let links: SpanLink[] | undefined;
    let droppedLinksCount = 0;
    let statusCode = 0;
    let statusMessage = '';
    let eventCount = 0;
    let linkCount = 0;
    let extraDropped = 0;
    let extraDroppedEvents = 0;
    let extraDroppedLinks = 0;
    const { maxEvents, maxLinks } = this.limits;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      switch (tag) {
        case 0x0a: traceId = this.hex(); continue;
        case 0x12: spanId = this.hex(); continue;
        case 0x1a: traceState = this.str(); continue;
        case 0x22: parentSpanId = this.hex(); continue;
        case 0x85: // field 16, fixed32: 16 << 3 | 5
          flags = r.fixed32();
          continue;
        case 0x2a: name = this.str(); continue;
        case 0x30: kind = r.int32(); continue;
        case 0x39: startTimeUnixNano = this.fixed64(); continue;
        case 0x41: endTimeUnixNano = this.fixed64(); continue;
        case 0x4a:
          this.dropped = 0;
          attributes = this.keyValue(attributes, 1);
          extraDropped += this.dropped;
          continue;
        case 0x50: droppedAttributesCount = r.uint32(); continue;
        case 0x5a:
          if (++eventCount > maxEvents) {
            this.skip(tag);
            extraDroppedEvents++;
            this.counts.droppedEvents++;
          } else (events ??= []).push(this.event());
          continue;
        case 0x60: droppedEventsCount = r.uint32(); continue;
        case 0x6a:
          if (++linkCount > maxLinks) {
            this.skip(tag);
            extraDroppedLinks++;
            this.counts.droppedLinks++;
          } else (links ??= []).push(this.link());
          continue;
        case 0x70: droppedLinksCount = r.uint32(); continue;
        case 0x7a: {
          const outer = this.enter();
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x12) statusMessage = this.str();
            else if (t === 0x18) statusCode = r.int32();
            else this.skip(t);
          }
          this.leave(outer);
          continue;
        }
      }
      this.skip(tag);
    }
    return {
      traceId,
      spanId,
      parentSpanId: normalizeParentId(parentSpanId),
      traceState,
      flags,
      name,
      kind: spanKindOf(kind),
      startTimeUnixNano,
      endTimeUnixNano,
      attributes,
      droppedAttributesCount: droppedAttributesCount + extraDropped,
      events: events ?? NO_EVENTS,
      droppedEventsCount: droppedEventsCount + extraDroppedEvents,
      links: links ?? NO_LINKS,
      droppedLinksCount: droppedLinksCount + extraDroppedLinks,
      status: { code: statusCodeOf(statusCode), message: statusMessage },
      resource,
      scope,
    };
  }

  private event(): SpanEvent {
    const r = this.r;
    const outer = this.enter();
    let timeUnixNano = 0n;
    let name = '';
    let attributes = emptyAttributes;
    let droppedAttributesCount = 0;
    this.dropped = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x09) timeUnixNano = this.fixed64();
      else if (tag === 0x12) name = this.str();
      else if (tag === 0x1a) attributes = this.keyValue(attributes, 1);
      else if (tag === 0x20) droppedAttributesCount = r.uint32();
      else this.skip(tag);
    }
    this.leave(outer);
    this.spend(1);
    return { timeUnixNano, name, attributes, droppedAttributesCount: droppedAttributesCount + this.dropped };
  }

  private link(): SpanLink {
    const r = this.r;
    const outer = this.enter();
    let traceId = '';
    let spanId = '';
    let traceState = '';
    let attributes = emptyAttributes;
    let droppedAttributesCount = 0;
    let flags = 0;
    this.dropped = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) traceId = this.hex();
      else if (tag === 0x12) spanId = this.hex();
      else if (tag === 0x1a) traceState = this.str();
      else if (tag === 0x22) attributes = this.keyValue(attributes, 1);
      else if (tag === 0x28) droppedAttributesCount = r.uint32();
      else if (tag === 0x35) flags = r.fixed32();
      else this.skip(tag);
    }
    this.leave(outer);
    this.spend(1);
    return { traceId, spanId, traceState, attributes, droppedAttributesCount: droppedAttributesCount + this.dropped, flags };
  }
}
