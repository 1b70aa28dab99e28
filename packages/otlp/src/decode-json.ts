import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes, InstrumentationScope, Resource, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { Rejections, spanPath } from './decode-result.js';
import type { DecodeResult } from './decode-result.js';
import { MAX_VALUE_DEPTH, SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { jsonIdRejection, normalizeHexId, normalizeParentId } from './ids.js';
import { JsonReader, isJsonObject } from './json-reader.js';
import type { JsonObject } from './json-reader.js';
import type { IncrementalJson } from './json-incremental.js';
import { type ParsedJsonBody, parseJsonBody, parseJsonBodySliced } from './json-body.js';
import { BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, noLimitCounts, truncateText } from './limits.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from './slicing.js';

/*
 * OTLP/JSON ExportTraceServiceRequest -> model spans. Same spans as the protobuf decoders for the
 * same data. Unknown fields are ignored (the spec requires it); a known field of the wrong JSON type
 * makes the request malformed. Ids that are not hex, or of the wrong length, reject only their span.
 */

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });
/** A value over a limit, dropped with the attribute holding it; never stored. */
const DROPPED: AnyValue = Object.freeze({ type: 'empty' });
const DROPPED_MAP = new Map<string, AnyValue>();

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

class JsonDecoder {
  private readonly j = new JsonReader();
  private readonly spans: Span[] = [];
  private readonly rejections = new Rejections();
  private readonly limits: DecodeLimits;
  private readonly counts = noLimitCounts();
  /** Attributes of the current owner dropped by the limits. */
  private dropped = 0;

  constructor(
    options: DecodeOptions,
    private readonly meter: BudgetMeter,
    private readonly parser?: IncrementalJson,
  ) {
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
  }

  result(): DecodeResult {
    this.meter.flush();
    return this.rejections.result(this.spans, this.counts, this.limits);
  }

  /** Elements of a list beyond those the parser kept. */
  private discarded(list: readonly unknown[]): number {
    return this.parser?.discardedOf(list) ?? 0;
  }

  /** A string cut to maxValueBytes at a character boundary (OpenTelemetry's attribute value length limit). */
  private cut(s: string): string {
    // Without the incremental parser (which charges what it builds), strings are charged here.
    if (this.parser === undefined) this.meter.spend(Math.ceil((s.length * 2) / 3));
    const cut = truncateText(s, this.limits.maxValueBytes);
    if (cut !== s) this.counts.truncatedValues++;
    return cut;
  }

  private str(o: JsonObject, key: string): string {
    return this.cut(this.j.string(o, key));
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

  /** How many elements of a list are over `max` (those the parser did not keep included). */
  private over(list: readonly unknown[], max: number): number {
    return Math.max(0, list.length - max) + this.discarded(list);
  }

  /** A KeyValue list field; `level` is the nesting level of its values (1 at the top). */
  private attributes(o: JsonObject, key: string, level: number): Attributes {
    const list = this.j.array(o, key);
    if (list.length === 0) return emptyAttributes;
    const map = this.keyValues(list, key, level);
    return map === DROPPED_MAP ? emptyAttributes : map;
  }

  /**
   * A KeyValue list. At the top (level 1) entries past maxAttributes, and entries whose value is over
   * a limit, are dropped and counted; inside a kvlist value, more than maxArrayElements entries (or
   * one over a limit) drop the whole value: DROPPED_MAP.
   */
  private keyValues(list: readonly unknown[], key: string, level: number): Map<string, AnyValue> {
    const j = this.j;
    const top = level === 1;
    const max = top ? this.limits.maxAttributes : this.limits.maxArrayElements;
    const extra = this.over(list, max);
    if (!top && extra > 0) return DROPPED_MAP;
    const map = new Map<string, AnyValue>();
    j.push(key);
    const n = Math.min(list.length, max);
    for (let i = 0; i < n; i++) {
      const kv = j.element(list[i], i);
      j.push(i);
      const k = this.str(kv, 'key');
      const v = j.message(kv, 'value');
      let value = EMPTY_VALUE;
      if (v !== undefined) {
        j.push('value');
        value = this.anyValue(v, level);
        j.pop();
      }
      j.pop();
      if (value === DROPPED) {
        if (!top) {
          j.pop();
          return DROPPED_MAP;
        }
        map.delete(k);
        this.dropped++;
        this.counts.droppedAttributes++;
        continue;
      }
      map.set(k, value);
    }
    j.pop();
    if (extra > 0) {
      this.dropped += extra;
      this.counts.droppedAttributes += extra;
    }
    this.meter.spend(map.size * ESTIMATE.entry);
    return map;
  }

  /**
   * An AnyValue object (the reader's path points at it): at most one of its value fields is set, as
   * in the protobuf oneof.
   */
  private anyValue(o: JsonObject, level: number): AnyValue {
    const j = this.j;
    if (level > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`nested deeper than ${MAX_VALUE_DEPTH} levels`, { path: j.where() });
    let found: AnyValue | undefined;
    let foundKey = '';
    for (const key in o) {
      const x = o[key];
      if (x === undefined || x === null) continue;
      let v: AnyValue;
      switch (key) {
        case 'stringValue':
          if (typeof x !== 'string') throw j.fail(key, 'a string', x);
          v = { type: 'string', value: this.cut(x) };
          break;
        case 'boolValue':
          v = { type: 'bool', value: j.bool(x, key) };
          break;
        case 'intValue':
          v = { type: 'int', value: j.int64(x, key) };
          break;
        case 'doubleValue':
          v = { type: 'double', value: j.double(x, key) };
          break;
        case 'bytesValue': {
          const bytes = j.bytes(x, key);
          if (bytes.length > this.limits.maxValueBytes) this.counts.truncatedValues++;
          v = { type: 'bytes', value: bytes.length > this.limits.maxValueBytes ? bytes.slice(0, this.limits.maxValueBytes) : bytes };
          break;
        }
        case 'arrayValue': {
          const values = this.arrayValue(x, level);
          v = values === undefined ? DROPPED : { type: 'array', value: values };
          break;
        }
        case 'kvlistValue': {
          if (!isJsonObject(x)) throw j.fail(key, 'an object', x);
          j.push(key);
          const kvs = this.keyValues(j.array(x, 'values'), 'values', level + 1);
          j.pop();
          v = kvs === DROPPED_MAP ? DROPPED : { type: 'kvlist', value: kvs };
          break;
        }
        default:
          continue; // unknown field
      }
      if (found !== undefined) {
        throw new OtlpDecodeError(`both ${foundKey} and ${key} are set; an AnyValue holds one value`, { path: j.where() });
      }
      found = v;
      foundKey = key;
    }
    return found ?? EMPTY_VALUE;
  }

  /** The elements; undefined when there are more than maxArrayElements or one is over a limit (the value is dropped). */
  private arrayValue(x: unknown, level: number): AnyValue[] | undefined {
    const j = this.j;
    if (!isJsonObject(x)) throw j.fail('arrayValue', 'an object', x);
    j.push('arrayValue');
    const list = j.array(x, 'values');
    if (this.over(list, this.limits.maxArrayElements) > 0) {
      j.pop();
      return undefined;
    }
    const out: AnyValue[] = [];
    j.push('values');
    for (let i = 0; i < list.length; i++) {
      const el = j.element(list[i], i);
      j.push(i);
      const value = this.anyValue(el, level + 1);
      j.pop();
      if (value === DROPPED) {
        j.pop();
        j.pop();
        return undefined;
      }
      out.push(value);
    }
    j.pop();
    j.pop();
    this.meter.spend(out.length * ESTIMATE.value);
    return out;
  }
}
