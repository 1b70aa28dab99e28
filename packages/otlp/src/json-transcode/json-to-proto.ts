import { Rejections, spanPath } from '../decode-result.js';
import { MAX_VALUE_DEPTH, SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from '../enums.js';
import { OtlpDecodeError } from '../errors.js';
import { invalidIdReason, jsonIdRejection } from '../ids.js';
import type { IncrementalJson } from '../json-incremental.js';
import { JsonReader, isJsonObject, type JsonObject } from '../json-reader.js';
import { type BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, type LimitCounts, noLimitCounts, truncateText } from '../limits.js';
import type { DecodeOptions } from '../slicing.js';
import { OUTPUT_POOL, ProtoWriter } from './proto-writer.js';

/*
 * Walks a parsed OTLP/JSON request the way the JSON decoder (decode-json.ts) does, checking the same
 * fields with the same JsonReader and applying the same limits, but writes protobuf instead of
 * building model spans. The walk keeps no field path: a request found malformed is handed to the
 * decoder, which renders the error (transcode-json.ts). Tags are whole (field << 3 | wire type).
 */

/** What a transcode gives; as DecodeResult, with the spans as protobuf bytes. */
export interface TranscodeResult {
  /** A protobuf ExportTraceServiceRequest of the accepted spans, limits already applied. */
  bytes: Uint8Array;
  rejectedSpans: number;
  errorMessage: string;
  limited?: LimitCounts;
}

/** A transcode's result: the bytes written (budget spent to the end), and what was refused or limited. */
export function transcodeResult(meter: BudgetMeter, rejections: Rejections, counts: LimitCounts, limits: DecodeLimits, w: ProtoWriter): TranscodeResult {
  meter.flush();
  const { rejectedSpans, errorMessage, limited } = rejections.result([], counts, limits);
  const bytes = w.finish();
  return limited === undefined ? { bytes, rejectedSpans, errorMessage } : { bytes, rejectedSpans, errorMessage, limited };
}

/** Decimal integers of at most 15 characters: safe integers, read by Number. */
const SAFE_INT_TEXT = /^-?\d+$/;

/** uint32 on the wire: a count the limits pushed past it saturates. */
const UINT32_MAX = 0xffff_ffff;

export class JsonTranscoder {
  private readonly j = new JsonReader();
  private readonly w: ProtoWriter;
  private readonly rejections = new Rejections();
  private readonly limits: DecodeLimits;
  private readonly counts = noLimitCounts();
  /** Attributes of the current owner dropped by the limits. */
  private dropped = 0;
  /** The current top-level attribute list's entries (the first `entries`): keys, and where each starts in the output. */
  private readonly entryKeys: string[] = [];
  private readonly entryStarts: number[] = [];
  private entries = 0;

  constructor(
    options: DecodeOptions,
    private readonly meter: BudgetMeter,
    capacity: number,
    private readonly parser?: IncrementalJson,
  ) {
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
    this.w = new ProtoWriter(capacity, OUTPUT_POOL);
  }

  result(): TranscodeResult {
    return transcodeResult(this.meter, this.rejections, this.counts, this.limits, this.w);
  }

  /** Yields after each span: the sliced transcode may pause there. */
  *request(parsed: unknown): Generator<void, void, void> {
    const j = this.j;
    if (!isJsonObject(parsed)) throw j.fail(undefined, 'a JSON object', parsed);
    const list = j.array(parsed, 'resourceSpans');
    for (let i = 0; i < list.length; i++) {
      yield* this.resourceSpans(j.element(list[i], i), i);
      yield;
    }
  }

  private *resourceSpans(o: JsonObject, rsIndex: number): Generator<void, void, void> {
    const { j, w } = this;
    const start = w.begin(0x0a);
    const res = j.message(o, 'resource');
    if (res !== undefined) {
      const body = w.begin(0x0a);
      this.dropped = 0;
      this.attributes(res, 'attributes', 0x0a);
      this.count(0x10, j.uint32(res, 'droppedAttributesCount') + this.dropped);
      w.endOrOmit(body);
    }
    this.str(0x1a, j.string(o, 'schemaUrl'));
    const list = j.array(o, 'scopeSpans');
    for (let i = 0; i < list.length; i++) {
      yield* this.scopeSpans(j.element(list[i], i), rsIndex, i);
      yield;
    }
    w.end(start);
  }

  private *scopeSpans(o: JsonObject, rsIndex: number, ssIndex: number): Generator<void, void, void> {
    const { j, w } = this;
    const start = w.begin(0x12);
    const sc = j.message(o, 'scope');
    if (sc !== undefined) {
      const body = w.begin(0x0a);
      this.str(0x0a, j.string(sc, 'name'));
      this.str(0x12, j.string(sc, 'version'));
      this.dropped = 0;
      this.attributes(sc, 'attributes', 0x1a);
      this.count(0x20, j.uint32(sc, 'droppedAttributesCount') + this.dropped);
      w.endOrOmit(body);
    }
    this.str(0x1a, j.string(o, 'schemaUrl'));
    const list = j.array(o, 'spans');
    for (let i = 0; i < list.length; i++) {
      this.span(j.element(list[i], i), rsIndex, ssIndex, i);
      yield;
    }
    w.end(start);
  }

  /** One span, written, then taken back when its ids reject it. */
  private span(o: JsonObject, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const { j, w, limits } = this;
    const spanStart = w.pos;
    const start = w.begin(0x12);
    // Fields read by name here (one property lookup cache per site), by JsonReader when not strings.
    const t = o['traceId'];
    const traceId = typeof t === 'string' ? t : j.string(o, 'traceId');
    const sp = o['spanId'];
    const spanId = typeof sp === 'string' ? sp : j.string(o, 'spanId');
    const p = o['parentSpanId'];
    const parentSpanId = typeof p === 'string' ? p : j.string(o, 'parentSpanId');
    // Ids that are not hex reject the span (below): nothing is written for them.
    const idsHex = w.hexField(0x0a, traceId) && w.hexField(0x12, spanId) && w.hexField(0x22, parentSpanId);
    this.str(0x1a, j.string(o, 'traceState'));
    w.fixed32Field(0x85, j.uint32(o, 'flags')); // field 16: a two-byte tag, written as a varint
    const name = o['name'];
    this.str(0x2a, typeof name === 'string' ? name : j.string(o, 'name'));
    w.uint32Field(0x30, spanKindOf(j.enumValue(o, 'kind', SPAN_KIND_NAMES)));
    this.time(0x39, o['startTimeUnixNano'], o, 'startTimeUnixNano');
    this.time(0x41, o['endTimeUnixNano'], o, 'endTimeUnixNano');
    this.dropped = 0;
    this.attributes(o, 'attributes', 0x4a);
    this.count(0x50, j.uint32(o, 'droppedAttributesCount') + this.dropped);

    const events = j.array(o, 'events');
    const extraEvents = this.over(events, limits.maxEvents);
    this.counts.droppedEvents += extraEvents;
    for (let i = 0; i < events.length && i < limits.maxEvents; i++) this.event(j.element(events[i], i));
    this.count(0x60, j.uint32(o, 'droppedEventsCount') + extraEvents);

    const links = j.array(o, 'links');
    const extraLinks = this.over(links, limits.maxLinks);
    this.counts.droppedLinks += extraLinks;
    let linkIdsHex = true;
    for (let i = 0; i < links.length && i < limits.maxLinks; i++) linkIdsHex = this.link(j.element(links[i], i)) && linkIdsHex;
    this.count(0x70, j.uint32(o, 'droppedLinksCount') + extraLinks);

    const st = j.message(o, 'status');
    if (st !== undefined) {
      const body = w.begin(0x7a);
      w.uint32Field(0x18, statusCodeOf(j.enumValue(st, 'code', STATUS_CODE_NAMES)));
      this.str(0x12, j.string(st, 'message'));
      w.endOrOmit(body);
    }

    // Hex ids (the common case) need only their lengths checked; others are named by jsonIdRejection.
    const reason = idsHex && linkIdsHex ? invalidIdReason(traceId, spanId, parentSpanId) : jsonIdRejection(traceId, spanId, parentSpanId, linkIdsHex);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      w.pos = spanStart;
      return;
    }
    w.end(start);
    this.meter.spend(ESTIMATE.span);
  }

  private event(e: JsonObject): void {
    const { j, w } = this;
    const start = w.begin(0x5a);
    this.time(0x09, e['timeUnixNano'], e, 'timeUnixNano');
    this.str(0x12, j.string(e, 'name'));
    this.dropped = 0;
    this.attributes(e, 'attributes', 0x1a);
    this.count(0x20, j.uint32(e, 'droppedAttributesCount') + this.dropped);
    w.end(start);
  }

  /** One link; false when one of its ids is not hex (which rejects the span). */
  private link(l: JsonObject): boolean {
    const { j, w } = this;
    const start = w.begin(0x6a);
    const traceId = j.string(l, 'traceId');
    const spanId = j.string(l, 'spanId');
    const hex = w.hexField(0x0a, traceId) && w.hexField(0x12, spanId);
    this.str(0x1a, j.string(l, 'traceState'));
    this.dropped = 0;
    this.attributes(l, 'attributes', 0x22);
    this.count(0x28, j.uint32(l, 'droppedAttributesCount') + this.dropped);
    w.fixed32Field(0x35, j.uint32(l, 'flags'));
    w.end(start);
    return hex;
  }

  /** A fixed64 time `v` = o[key]: decimal text (what OTLP/JSON senders write) fast, any other form as JsonReader reads it. */
  private time(tag: number, v: unknown, o: JsonObject, key: string): void {
    if (typeof v !== 'string' || !this.w.fixed64Digits(tag, v)) this.w.fixed64Field(tag, this.j.fixed64(o, key));
  }

  /** An intValue: a safe integer fast, any other form as JsonReader reads it. */
  private int(x: unknown): void {
    if (typeof x === 'number' && Number.isSafeInteger(x)) this.w.int64Safe(x);
    else if (typeof x === 'string' && x.length <= 15 && SAFE_INT_TEXT.test(x)) this.w.int64Safe(Number(x));
    else this.w.int64(this.j.int64(x, 'intValue'));
  }

  /** A dropped*Count: the sender's plus what the limits dropped. */
  private count(tag: number, n: number): void {
    this.w.uint32Field(tag, Math.min(n, UINT32_MAX));
  }

  /** How many elements of a list are over `max` (those the parser did not keep included). */
  private over(list: readonly unknown[], max: number): number {
    return Math.max(0, list.length - max) + (this.parser?.discardedOf(list) ?? 0);
  }

  /** A string field left out when empty (the proto3 default), cut to maxValueBytes. */
  private str(tag: number, s: string): void {
    if (s !== '') this.value(tag, s);
  }

  /** A string written even when empty (a oneof member, a key), cut to maxValueBytes. */
  private value(tag: number, s: string): void {
    // Without the incremental parser (which charges what it builds), strings are charged here.
    if (this.parser === undefined) this.meter.spend(Math.ceil((s.length * 2) / 3));
    if (this.w.string(tag, s, this.limits.maxValueBytes)) this.counts.truncatedValues++;
  }

  /**
   * A top-level KeyValue list (of a span, event, link, resource or scope). Entries past maxAttributes,
   * and entries whose value is over a limit, are dropped and counted. The decoder reads the list into
   * a Map (a repeated key keeps its first place and takes the last value, as the protobuf decoders
   * do); a dropped entry deletes its key, so entries already written with that key are taken back.
   */
  private attributes(o: JsonObject, field: string, tag: number): void {
    const { j, w } = this;
    const list = j.array(o, field);
    if (list.length === 0) return;
    const max = this.limits.maxAttributes;
    const extra = this.over(list, max);
    const keys = this.entryKeys;
    const starts = this.entryStarts;
    this.entries = 0;
    const n = Math.min(list.length, max);
    for (let i = 0; i < n; i++) {
      const kv = j.element(list[i], i);
      const entryStart = w.pos;
      const key = kv['key'];
      const k = typeof key === 'string' ? key : j.string(kv, 'key');
      const value = kv['value'];
      const v = isJsonObject(value) ? value : j.message(kv, 'value');
      const start = w.begin(tag);
      this.str(0x0a, k);
      if (v !== undefined && !this.valueField(v, 1)) {
        w.pos = entryStart;
        this.unset(k);
        this.dropped++;
        this.counts.droppedAttributes++;
        continue;
      }
      w.end(start);
      keys[this.entries] = k;
      starts[this.entries++] = entryStart;
    }
    if (extra > 0) {
      this.dropped += extra;
      this.counts.droppedAttributes += extra;
    }
    this.meter.spend(this.entries * ESTIMATE.entry);
  }

  /** Takes back the entries of the current list written with key `k` (as the decoder's Map.delete). */
  private unset(k: string): void {
    const { w, entryKeys: keys, entryStarts: starts, limits } = this;
    const cut = truncateText(k, limits.maxValueBytes);
    const n = this.entries;
    let kept = 0;
    let to = n === 0 ? w.pos : starts[0]!;
    for (let i = 0; i < n; i++) {
      const from = starts[i]!;
      const end = i + 1 < n ? starts[i + 1]! : w.pos;
      if (truncateText(keys[i]!, limits.maxValueBytes) === cut) continue;
      w.buf.copyWithin(to, from, end);
      keys[kept] = keys[i]!;
      starts[kept++] = to;
      to += end - from;
    }
    this.entries = kept;
    w.pos = to;
  }

  /** A KeyValue's `value` field; false when the value is over a limit (the entry is dropped). */
  private valueField(v: JsonObject, level: number): boolean {
    const w = this.w;
    const start = w.begin(0x12);
    if (!this.anyValue(v, level)) return false;
    w.endOrOmit(start);
    return true;
  }

  /** The one value field of an AnyValue (`level` 1 at the top); false when it is over a limit. */
  private anyValue(o: JsonObject, level: number): boolean {
    const { j, w } = this;
    if (level > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`nested deeper than ${MAX_VALUE_DEPTH} levels`);
    let found = false;
    let kept = true;
    for (const key in o) {
      const x = o[key];
      if (x === undefined || x === null) continue;
      switch (key) {
        case 'stringValue':
          if (typeof x !== 'string') throw j.fail(key, 'a string', x);
          this.value(0x0a, x);
          break;
        case 'boolValue':
          w.varint(0x10);
          w.varint(j.bool(x, key) ? 1 : 0);
          break;
        case 'intValue':
          w.varint(0x18);
          this.int(x);
          break;
        case 'doubleValue':
          w.varint(0x21);
          w.double(j.double(x, key));
          break;
        case 'bytesValue': {
          const bytes = j.bytes(x, key);
          const max = this.limits.maxValueBytes;
          if (bytes.length > max) this.counts.truncatedValues++;
          w.bytes(0x3a, bytes.length > max ? bytes.subarray(0, max) : bytes);
          break;
        }
        case 'arrayValue':
          kept = this.arrayValue(x, level);
          break;
        case 'kvlistValue': {
          if (!isJsonObject(x)) throw j.fail(key, 'an object', x);
          const start = w.begin(0x32);
          kept = this.keyValues(j.array(x, 'values'), level + 1);
          w.end(start);
          break;
        }
        default:
          continue; // unknown field
      }
      if (found) throw new OtlpDecodeError(`more than one value field set in an AnyValue`);
      found = true;
    }
    return kept;
  }

  /** An ArrayValue; false when it has more than maxArrayElements or one is over a limit. */
  private arrayValue(x: unknown, level: number): boolean {
    const { j, w } = this;
    if (!isJsonObject(x)) throw j.fail('arrayValue', 'an object', x);
    const list = j.array(x, 'values');
    if (this.over(list, this.limits.maxArrayElements) > 0) return false;
    const start = w.begin(0x2a);
    for (let i = 0; i < list.length; i++) {
      const element = j.element(list[i], i);
      const el = w.begin(0x0a);
      if (!this.anyValue(element, level + 1)) return false;
      w.end(el);
    }
    w.end(start);
    this.meter.spend(list.length * ESTIMATE.value);
    return true;
  }

  /** A kvlist value's entries; false when more than maxArrayElements or one is over a limit. */
  private keyValues(list: readonly unknown[], level: number): boolean {
    const { j, w } = this;
    if (this.over(list, this.limits.maxArrayElements) > 0) return false;
    for (let i = 0; i < list.length; i++) {
      const kv = j.element(list[i], i);
      const key = kv['key'];
      const k = typeof key === 'string' ? key : j.string(kv, 'key');
      const value = kv['value'];
      const v = isJsonObject(value) ? value : j.message(kv, 'value');
      const start = w.begin(0x0a);
      this.str(0x0a, k);
      if (v !== undefined && !this.valueField(v, level)) return false;
      w.end(start);
    }
    this.meter.spend(list.length * ESTIMATE.entry);
    return true;
  }
}
