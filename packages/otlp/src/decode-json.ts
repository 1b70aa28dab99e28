import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes, InstrumentationScope, Resource, Span, SpanEvent, SpanLink } from '@tracecheck/model';
import { Rejections, spanPath } from './decode-result.js';
import type { DecodeResult } from './decode-result.js';
import { MAX_VALUE_DEPTH, SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { invalidIdReason, normalizeHexId, normalizeParentId } from './ids.js';
import { JsonReader, isJsonObject } from './json-reader.js';
import type { JsonObject } from './json-reader.js';

/*
 * OTLP/JSON ExportTraceServiceRequest -> model spans. Same spans as the protobuf decoders for the
 * same data. Unknown fields are ignored (the spec requires it); a known field of the wrong JSON type
 * makes the request malformed. Ids that are not hex, or of the wrong length, reject only their span.
 */

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes an OTLP/JSON ExportTraceServiceRequest body. Throws OtlpDecodeError when malformed. */
export function decodeJsonRequest(body: string | Uint8Array): DecodeResult {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new OtlpDecodeError('request body is not valid UTF-8');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OtlpDecodeError(`invalid JSON: ${(e as Error).message}`);
  }
  return new JsonDecoder().request(parsed);
}

class JsonDecoder {
  private readonly j = new JsonReader();
  private readonly spans: Span[] = [];
  private readonly rejections = new Rejections();

  request(parsed: unknown): DecodeResult {
    const j = this.j;
    if (!isJsonObject(parsed)) throw j.fail(undefined, 'a JSON object', parsed);
    const list = j.array(parsed, 'resourceSpans');
    j.push('resourceSpans');
    for (let i = 0; i < list.length; i++) this.resourceSpans(j.element(list[i], i), i);
    j.pop();
    return this.rejections.result(this.spans);
  }

  private resourceSpans(o: JsonObject, rsIndex: number): void {
    const j = this.j;
    j.push(rsIndex);
    const res = j.message(o, 'resource');
    let resource: Resource;
    if (res === undefined) resource = { attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: j.string(o, 'schemaUrl') };
    else {
      j.push('resource');
      const attributes = this.attributes(res, 'attributes', 1);
      const droppedAttributesCount = j.uint32(res, 'droppedAttributesCount');
      j.pop();
      resource = { attributes, droppedAttributesCount, schemaUrl: j.string(o, 'schemaUrl') };
    }
    const list = j.array(o, 'scopeSpans');
    j.push('scopeSpans');
    for (let i = 0; i < list.length; i++) this.scopeSpans(j.element(list[i], i), resource, rsIndex, i);
    j.pop();
    j.pop();
  }

  private scopeSpans(o: JsonObject, resource: Resource, rsIndex: number, ssIndex: number): void {
    const j = this.j;
    j.push(ssIndex);
    const sc = j.message(o, 'scope');
    let scope: InstrumentationScope;
    if (sc === undefined) {
      scope = { name: '', version: '', attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: j.string(o, 'schemaUrl') };
    } else {
      j.push('scope');
      const name = j.string(sc, 'name');
      const version = j.string(sc, 'version');
      const attributes = this.attributes(sc, 'attributes', 1);
      const droppedAttributesCount = j.uint32(sc, 'droppedAttributesCount');
      j.pop();
      scope = { name, version, attributes, droppedAttributesCount, schemaUrl: j.string(o, 'schemaUrl') };
    }
    const list = j.array(o, 'spans');
    j.push('spans');
    for (let i = 0; i < list.length; i++) {
      j.push(i);
      this.span(j.element(list[i], i), resource, scope, spanPath(rsIndex, ssIndex, i));
      j.pop();
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
    const traceState = j.string(o, 'traceState');
    const flags = j.uint32(o, 'flags');
    const name = j.string(o, 'name');
    const kind = spanKindOf(j.enumValue(o, 'kind', SPAN_KIND_NAMES));
    const startTimeUnixNano = j.fixed64(o, 'startTimeUnixNano');
    const endTimeUnixNano = j.fixed64(o, 'endTimeUnixNano');
    const attributes = this.attributes(o, 'attributes', 1);
    const droppedAttributesCount = j.uint32(o, 'droppedAttributesCount');
    const eventList = j.array(o, 'events');
    const events = eventList.length === 0 ? NO_EVENTS : this.events(eventList);
    const droppedEventsCount = j.uint32(o, 'droppedEventsCount');
    const linkList = j.array(o, 'links');
    const links = linkList.length === 0 ? NO_LINKS : this.links(linkList);
    const droppedLinksCount = j.uint32(o, 'droppedLinksCount');
    const st = j.message(o, 'status');
    let status = { code: statusCodeOf(0), message: '' };
    if (st !== undefined) {
      j.push('status');
      status = { code: statusCodeOf(j.enumValue(st, 'code', STATUS_CODE_NAMES)), message: j.string(st, 'message') };
      j.pop();
    }

    const traceId = normalizeHexId(rawTraceId);
    const spanId = normalizeHexId(rawSpanId);
    const parentSpanId = normalizeHexId(rawParent);
    if (traceId === undefined || spanId === undefined || parentSpanId === undefined || links === undefined) {
      const field = traceId === undefined ? 'traceId' : spanId === undefined ? 'spanId' : parentSpanId === undefined ? 'parentSpanId' : 'a link id';
      this.rejections.reject(path, `${field} is not hex`);
      return;
    }
    const reason = invalidIdReason(traceId, spanId, parentSpanId);
    if (reason !== undefined) {
      this.rejections.reject(path, reason);
      return;
    }
    this.spans.push({
      traceId,
      spanId,
      parentSpanId: normalizeParentId(parentSpanId),
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
      out.push({
        timeUnixNano: j.fixed64(e, 'timeUnixNano'),
        name: j.string(e, 'name'),
        attributes: this.attributes(e, 'attributes', 1),
        droppedAttributesCount: j.uint32(e, 'droppedAttributesCount'),
      });
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
      const traceState = j.string(l, 'traceState');
      const attributes = this.attributes(l, 'attributes', 1);
      const droppedAttributesCount = j.uint32(l, 'droppedAttributesCount');
      const flags = j.uint32(l, 'flags');
      j.pop();
      // Keep reading the other links: a malformed field later on must still fail the request.
      if (traceId === undefined || spanId === undefined) badId = true;
      else out.push({ traceId, spanId, traceState, attributes, droppedAttributesCount, flags });
    }
    j.pop();
    return badId ? undefined : out;
  }

  /** A KeyValue list field; `level` is the nesting level of its values (1 at the top). */
  private attributes(o: JsonObject, key: string, level: number): Attributes {
    const list = this.j.array(o, key);
    if (list.length === 0) return emptyAttributes;
    return this.keyValues(list, key, level);
  }

  private keyValues(list: readonly unknown[], key: string, level: number): Map<string, AnyValue> {
    const j = this.j;
    const map = new Map<string, AnyValue>();
    j.push(key);
    for (let i = 0; i < list.length; i++) {
      const kv = j.element(list[i], i);
      j.push(i);
      const k = j.string(kv, 'key');
      const v = j.message(kv, 'value');
      let value = EMPTY_VALUE;
      if (v !== undefined) {
        j.push('value');
        value = this.anyValue(v, level);
        j.pop();
      }
      map.set(k, value);
      j.pop();
    }
    j.pop();
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
          v = { type: 'string', value: x };
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
        case 'bytesValue':
          v = { type: 'bytes', value: j.bytes(x, key) };
          break;
        case 'arrayValue':
          v = { type: 'array', value: this.arrayValue(x, level) };
          break;
        case 'kvlistValue': {
          if (!isJsonObject(x)) throw j.fail(key, 'an object', x);
          j.push(key);
          const kvs = this.keyValues(j.array(x, 'values'), 'values', level + 1);
          j.pop();
          v = { type: 'kvlist', value: kvs };
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

  private arrayValue(x: unknown, level: number): AnyValue[] {
    const j = this.j;
    if (!isJsonObject(x)) throw j.fail('arrayValue', 'an object', x);
    j.push('arrayValue');
    const list = j.array(x, 'values');
    const out: AnyValue[] = [];
    j.push('values');
    for (let i = 0; i < list.length; i++) {
      const el = j.element(list[i], i);
      j.push(i);
      out.push(this.anyValue(el, level + 1));
      j.pop();
    }
    j.pop();
    j.pop();
    return out;
  }
}
