import { emptyAttributes } from '@tracecheck/model';
import type { InstrumentationScope, Resource, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { Rejections, spanPath } from './decode-result.js';
import type { DecodeResult } from './decode-result.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from './enums.js';
import { jsonIdRejection, normalizeHexId, normalizeParentId } from './ids.js';
import { isJsonObject } from './json-reader.js';
import type { JsonObject } from './json-reader.js';
import { type ParsedJsonBody, parseJsonBody, parseJsonBodySliced } from './json-body.js';
import { BudgetMeter, ESTIMATE } from './limits.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from './slicing.js';
import { JsonValues } from './json-values.js';

/*
 * OTLP/JSON ExportTraceServiceRequest -> model spans. Same spans as the protobuf decoders for the
 * same data. Unknown fields are ignored (the spec requires it); a known field of the wrong JSON type
 * makes the request malformed. Ids that are not hex, or of the wrong length, reject only their span.
 * Attribute values, and the limits on them, are JsonValues' (json-values.ts).
 */

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);

/** Decodes an OTLP/JSON ExportTraceServiceRequest body. Throws OtlpDecodeError when malformed. */
export function decodeJsonRequest(body: string | Uint8Array, options: DecodeOptions = {}): DecodeResult {
  return decodeParsedJson(parseJsonBody(body), options);
}

/**
 * Decodes a request JSON.parse already parsed. The transcoder also calls it for a request it found
 * malformed, so the error (message and path) is rendered here only.
 */
export function decodeParsedJson(parsed: unknown, options: DecodeOptions): DecodeResult {
  const decoder = new JsonDecoder(options, new BudgetMeter(options.budget));
  const steps = decoder.request(parsed);
  while (!steps.next().done);
  return decoder.result();
}

/**
 * `decodeJsonRequest` in slices, for a receiver: the body is parsed by an incremental parser
 * (parseJsonBodySliced), then converted span by span, pausing every `sliceMs`.
 */
export async function decodeJsonRequestSliced(body: string | Uint8Array, options: SlicedDecodeOptions = {}): Promise<DecodeResult> {
  const meter = new BudgetMeter(options.budget);
  const parser = await parseJsonBodySliced(body, options, meter);
  return decodeParsedJsonSliced({ value: parser.value, parser }, options, meter);
}

/** `decodeParsedJson` in slices: a huge request the sliced transcoder found malformed is walked again for the error. */
export async function decodeParsedJsonSliced(parsed: ParsedJsonBody, options: SlicedDecodeOptions, meter = new BudgetMeter(options.budget)): Promise<DecodeResult> {
  const decoder = new JsonDecoder(options, meter, parsed.parser);
  const steps = decoder.request(parsed.value);
  await runSliced(() => steps.next().done === true, options);
  return decoder.result();
}

/** The request's structure, resource to span; attribute values and the limits are JsonValues'. */
class JsonDecoder extends JsonValues {
  private readonly spans: Span[] = [];
  private readonly rejections = new Rejections();

  result(): DecodeResult {
    this.meter.flush();
    return this.rejections.result(this.spans, this.counts, this.limits);
  }

  /** Yields after each span: the sliced decoder may pause there. */
  *request(parsed: unknown): Generator<void, void, void> {
    const j = this.j;
    if (!isJsonObject(parsed)) throw j.fail(undefined, 'a JSON object', parsed);
    const list = j.array(parsed, 'resourceSpans');
    j.push('resourceSpans');
    for (let i = 0; i < list.length; i++) {
      yield* this.resourceSpans(j.element(list[i], i), i);
      yield;
    }
    j.pop();
  }

  private *resourceSpans(o: JsonObject, rsIndex: number): Generator<void, void, void> {
    const j = this.j;
    j.push(rsIndex);
    const res = j.message(o, 'resource');
    let resource: Resource;
    if (res === undefined) resource = { attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: this.str(o, 'schemaUrl') };
    else {
      j.push('resource');
      this.dropped = 0;
      const attributes = this.attributes(res, 'attributes', 1);
      const droppedAttributesCount = j.uint32(res, 'droppedAttributesCount') + this.dropped;
      j.pop();
      resource = { attributes, droppedAttributesCount, schemaUrl: this.str(o, 'schemaUrl') };
    }
    const list = j.array(o, 'scopeSpans');
    j.push('scopeSpans');
    for (let i = 0; i < list.length; i++) {
      yield* this.scopeSpans(j.element(list[i], i), resource, rsIndex, i);
      yield;
    }
    j.pop();
    j.pop();
  }

  private *scopeSpans(o: JsonObject, resource: Resource, rsIndex: number, ssIndex: number): Generator<void, void, void> {
    const j = this.j;
    j.push(ssIndex);
    const sc = j.message(o, 'scope');
    let scope: InstrumentationScope;
    if (sc === undefined) {
      scope = { name: '', version: '', attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: this.str(o, 'schemaUrl') };
    } else {
      j.push('scope');
      const name = this.str(sc, 'name');
      const version = this.str(sc, 'version');
      this.dropped = 0;
      const attributes = this.attributes(sc, 'attributes', 1);
      const droppedAttributesCount = j.uint32(sc, 'droppedAttributesCount') + this.dropped;
      j.pop();
      scope = { name, version, attributes, droppedAttributesCount, schemaUrl: this.str(o, 'schemaUrl') };
    }
    const list = j.array(o, 'spans');
    j.push('spans');
    for (let i = 0; i < list.length; i++) {
      j.push(i);
      this.span(j.element(list[i], i), resource, scope, spanPath(rsIndex, ssIndex, i));
      j.pop();
      yield;
    }
    j.pop();
    j.pop();
  }

  /** One span; `path` names it in a rejection. The reader's path already ends at the span. */
  private span(o: JsonObject, resource: Resource, scope: InstrumentationScope, path: string): void {
    const j = this.j;
    const rawTraceId = j.string(o, 'traceId');
    const rawSpanId = j.string(o, 'spanId');
    const rawParent = j.string(o, 'parentSpanId');
    const traceState = this.str(o, 'traceState');
    const flags = j.uint32(o, 'flags');
    const name = this.str(o, 'name');
    const kind = spanKindOf(j.enumValue(o, 'kind', SPAN_KIND_NAMES));
    const startTimeUnixNano = j.fixed64(o, 'startTimeUnixNano');
    const endTimeUnixNano = j.fixed64(o, 'endTimeUnixNano');
    this.dropped = 0;
    const attributes = this.attributes(o, 'attributes', 1);
    const droppedAttributesCount = j.uint32(o, 'droppedAttributesCount') + this.dropped;
    const eventList = j.array(o, 'events');
    const extraEvents = this.over(eventList, this.limits.maxEvents);
    this.counts.droppedEvents += extraEvents;
    const events = eventList.length === 0 ? NO_EVENTS : this.events(eventList.slice(0, this.limits.maxEvents));
    const droppedEventsCount = j.uint32(o, 'droppedEventsCount') + extraEvents;
    const linkList = j.array(o, 'links');
    const extraLinks = this.over(linkList, this.limits.maxLinks);
    this.counts.droppedLinks += extraLinks;
    const links = linkList.length === 0 ? NO_LINKS : this.links(linkList.slice(0, this.limits.maxLinks));
    const droppedLinksCount = j.uint32(o, 'droppedLinksCount') + extraLinks;
    const st = j.message(o, 'status');
    let status = { code: statusCodeOf(0), message: '' };
    if (st !== undefined) {
      j.push('status');
      status = { code: statusCodeOf(j.enumValue(st, 'code', STATUS_CODE_NAMES)), message: this.str(st, 'message') };
      j.pop();
    }

    const reason = jsonIdRejection(rawTraceId, rawSpanId, rawParent, links !== undefined);
    // Links are undefined only when one has an id that is not hex, which is a reason.
    if (reason !== undefined || links === undefined) {
      this.rejections.reject(path, reason!);
      return;
    }
    this.meter.spend(ESTIMATE.span);
    this.spans.push({
      traceId: rawTraceId.toLowerCase(),
      spanId: rawSpanId.toLowerCase(),
      parentSpanId: normalizeParentId(rawParent.toLowerCase()),
      traceState,
      flags,
      name,
      kind,
      startTimeUnixNano,
      endTimeUnixNano,
      attributes,
      droppedAttributesCount,
      events,
      droppedEventsCount,
      links,
      droppedLinksCount,
      status,
      resource,
      scope,
    });
  }

  private events(list: readonly unknown[]): SpanEvent[] {
    const j = this.j;
    const out: SpanEvent[] = [];
    j.push('events');
    for (let i = 0; i < list.length; i++) {
      const e = j.element(list[i], i);
      j.push(i);
      const timeUnixNano = j.fixed64(e, 'timeUnixNano');
      const name = this.str(e, 'name');
      this.dropped = 0;
      const attributes = this.attributes(e, 'attributes', 1);
      out.push({ timeUnixNano, name, attributes, droppedAttributesCount: j.uint32(e, 'droppedAttributesCount') + this.dropped });
      j.pop();
    }
    j.pop();
    return out;
  }

  /** The span's links; undefined when one has an id that is not hex (which rejects the span). */
  private links(list: readonly unknown[]): SpanLink[] | undefined {
    const j = this.j;
    const out: SpanLink[] = [];
    let badId = false;
    j.push('links');
    for (let i = 0; i < list.length; i++) {
      const l = j.element(list[i], i);
      j.push(i);
      const traceId = normalizeHexId(j.string(l, 'traceId'));
      const spanId = normalizeHexId(j.string(l, 'spanId'));
      const traceState = this.str(l, 'traceState');
      this.dropped = 0;
      const attributes = this.attributes(l, 'attributes', 1);
      const droppedAttributesCount = j.uint32(l, 'droppedAttributesCount') + this.dropped;
      const flags = j.uint32(l, 'flags');
      j.pop();
      // Keep reading the other links: a malformed field later on must still fail the request.
      if (traceId === undefined || spanId === undefined) badId = true;
      else out.push({ traceId, spanId, traceState, attributes, droppedAttributesCount, flags });
    }
    j.pop();
    return badId ? undefined : out;
  }
}
