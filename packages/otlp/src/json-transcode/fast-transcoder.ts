import { Rejections, spanPath } from '../decode-result.js';
import { MAX_VALUE_DEPTH, SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from '../enums.js';
import { invalidIdReason, jsonIdRejection } from '../ids.js';
import { JsonReader } from '../json-reader.js';
import { type BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, noLimitCounts } from '../limits.js';
import type { DecodeOptions } from '../slicing.js';
import { bail, ByteScanner, KeyTable } from './byte-scanner.js';
import type { TranscodeResult } from './json-to-proto.js';
import { ProtoWriter } from './proto-writer.js';

/*
 * OTLP/JSON -> protobuf straight from the body's bytes: no JS string of the body, no JSON.parse, no
 * objects. It writes byte for byte what JsonTranscoder (json-to-proto.ts) writes for the same body,
 * with the same limits, rejections and budget charges, but only for the bodies it fully understands:
 * anything unusual (a wrong type, a duplicated key, a value over a limit that drops an attribute, a
 * number in an odd form, a syntax error) gives up, and the caller takes the JSON.parse path, which
 * also renders any error. Fields are written in JsonTranscoder's order whatever the order of the
 * keys: a message's scalar fields are read where the scan noted them, a span's attributes go to a
 * scratch writer first, and what a list of spans is found to be preceded by is moved before it.
 */

const REQUEST = new KeyTable(['resourceSpans']);
const RESOURCE_SPANS = new KeyTable(['resource', 'schemaUrl', 'scopeSpans']);
const SCOPE_SPANS = new KeyTable(['scope', 'schemaUrl', 'spans']);
/** Resource, scope, event, link, status: read with `fields`. */
const RESOURCE = new KeyTable(['attributes', 'droppedAttributesCount']);
const SCOPE = new KeyTable(['name', 'version', 'attributes', 'droppedAttributesCount']);
const EVENT = new KeyTable(['timeUnixNano', 'name', 'attributes', 'droppedAttributesCount']);
const LINK = new KeyTable(['traceId', 'spanId', 'traceState', 'attributes', 'droppedAttributesCount', 'flags']);
const STATUS = new KeyTable(['code', 'message']);
const SPAN = new KeyTable([
  'traceId',
  'spanId',
  'parentSpanId',
  'traceState',
  'flags',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'droppedAttributesCount',
  'events',
  'droppedEventsCount',
  'links',
  'droppedLinksCount',
  'status',
]);
const KEY_VALUE = new KeyTable(['key', 'value']);
const ANY_VALUE = new KeyTable(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue']);
const LIST = new KeyTable(['values']);

const UINT32_MAX = 0xffff_ffff;
const OBJECT = 0x7b;
const OBJECT_END = 0x7d;
const ARRAY = 0x5b;
const ARRAY_END = 0x5d;
const QUOTE = 0x22;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export class FastJsonTranscoder {
  private readonly s: ByteScanner;
  private w: ProtoWriter;
  /** A span's attributes, events and links, written when met, copied into place after its scalar fields. */
  private readonly scratch = [new ProtoWriter(4096), new ProtoWriter(1024), new ProtoWriter(1024)];
  /** A span's string fields, by key index, as `ByteScanner.keep` notes them. */
  private readonly tokens = new Int32Array(3 * SPAN.names.length);
  /** A span's numeric fields (flags, counts, kind) by key index; 0 when absent. */
  private readonly nums = new Float64Array(SPAN.names.length);
  private readonly j = new JsonReader();
  private readonly rejections = new Rejections();
  private readonly limits: DecodeLimits;
  private readonly counts = noLimitCounts();
  /** Where each known key's value starts, per kind of object read by `fields` (-1: absent or null). */
  private readonly at = {
    resourceSpans: new Int32Array(3),
    scopeSpans: new Int32Array(3),
    owner: new Int32Array(6),
    item: new Int32Array(6),
    status: new Int32Array(2),
  };

  constructor(
    buf: Buffer,
    options: DecodeOptions,
    private readonly meter: BudgetMeter,
    capacity: number,
  ) {
    this.s = new ByteScanner(buf);
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
    this.w = new ProtoWriter(capacity);
  }

  result(): TranscodeResult {
    this.meter.flush();
    const { rejectedSpans, errorMessage, limited } = this.rejections.result([], this.counts, this.limits);
    const bytes = this.w.finish();
    return limited === undefined ? { bytes, rejectedSpans, errorMessage } : { bytes, rejectedSpans, errorMessage, limited };
  }

  /** Yields after each span: the sliced transcode may pause there. */
  *request(): Generator<void, void, void> {
    const s = this.s;
    let seen = false;
    if (!s.open(OBJECT)) {
      do {
        if (s.key(REQUEST) < 0) {
          s.skip();
          continue;
        }
        if (seen) bail();
        seen = true;
        if (s.null() || s.open(ARRAY)) continue;
        let i = 0;
        do {
          yield* this.group(true, i++);
          yield;
        } while (s.more(ARRAY_END));
      } while (s.more(OBJECT_END));
    }
    s.end();
  }

  /**
   * A ResourceSpans (`resource` true, index `outer`) or a ScopeSpans (index `inner` in `outer`): its
   * list is transcoded as met; the resource or scope and the schemaUrl after it, then moved before it.
   */
  private *group(resource: boolean, outer: number, inner = 0): Generator<void, void, void> {
    const { s, w } = this;
    const keys = resource ? RESOURCE_SPANS : SCOPE_SPANS;
    const start = w.begin(resource ? 0x0a : 0x12);
    const at = (resource ? this.at.resourceSpans : this.at.scopeSpans).fill(-1);
    let seen = 0;
    if (!s.open(OBJECT)) {
      do {
        const k = s.key(keys);
        if (k < 0) {
          s.skip();
          continue;
        }
        if ((seen & (1 << k)) !== 0) bail();
        seen |= 1 << k;
        if (s.null()) continue;
        if (k !== 2) {
          at[k] = s.pos;
          s.skip();
        } else if (!s.open(ARRAY)) {
          let i = 0;
          do {
            if (resource) yield* this.group(false, outer, i++);
            else this.span(outer, inner, i++);
            yield;
          } while (s.more(ARRAY_END));
        }
      } while (s.more(OBJECT_END));
    }
    const end = s.pos;
    const head = w.pos;
    const owner = at[0]!;
    const schemaUrl = at[1]!;
    if (owner >= 0) {
      s.pos = owner;
      const body = w.begin(0x0a);
      this.fields(resource ? RESOURCE : SCOPE, this.at.owner);
      const o = this.at.owner;
      if (!resource) {
        this.strAt(0x0a, o[0]!);
        this.strAt(0x12, o[1]!);
      }
      const a = resource ? 0 : 2;
      const dropped = this.attributesAt(resource ? 0x0a : 0x1a, o[a]!);
      this.count(resource ? 0x10 : 0x20, this.uint32At(o[a + 1]!) + dropped);
      w.endOrOmit(body);
    }
    this.strAt(0x1a, schemaUrl);
    w.moveBefore(start, head);
    w.end(start);
    s.pos = end;
  }

  /**
   * One span, in one scan: its scalars are noted (strings by token, numbers by value), its lists
   * written to scratch writers, then all is written in JsonTranscoder's order, and taken back when
   * its ids reject it.
   */
  private span(rsIndex: number, ssIndex: number, spanIndex: number): void {
    const { s, scratch, limits, tokens } = this;
    const w = this.w;
    const nums = this.nums.fill(0);
    tokens.fill(-1);
    let seen = 0;
    let dropped = 0;
    let extraEvents = 0;
    let extraLinks = 0;
    let linkIdsHex = true;
    let statusCode = -1;
    for (const x of scratch) x.pos = 0;
    if (s.peek() !== OBJECT) bail();
    if (!s.open(OBJECT)) {
      do {
        const k = s.key(SPAN);
        if (k < 0) {
          s.skip();
          continue;
        }
        if ((seen & (1 << k)) !== 0) bail();
        seen |= 1 << k;
        if (s.null()) continue;
        switch (k) {
          case 4: // flags
          case 10: // droppedAttributesCount
          case 12: // droppedEventsCount
          case 14: // droppedLinksCount
            nums[k] = this.uint32();
            break;
          case 6:
            nums[k] = this.enumValue(SPAN_KIND_NAMES);
            break;
          case 9:
            this.w = scratch[0]!;
            dropped = this.attributes(0x4a);
            break;
          case 11:
            this.w = scratch[1]!;
            extraEvents = this.list(limits.maxEvents, () => this.event());
            break;
          case 13:
            this.w = scratch[2]!;
            extraLinks = this.list(limits.maxLinks, () => {
              linkIdsHex = this.link() && linkIdsHex;
            });
            break;
          case 15: {
            const st = this.at.status;
            this.fields(STATUS, st);
            const end = s.pos;
            statusCode = this.enumAt(st[0]!, STATUS_CODE_NAMES);
            if (st[1]! >= 0) {
              s.pos = st[1]!;
              s.string();
              s.keep(tokens, k);
            }
            s.pos = end;
            break;
          }
          default: // the ids, traceState, name and times: strings
            s.string();
            s.keep(tokens, k);
        }
        this.w = w;
      } while (s.more(OBJECT_END));
    }
    const spanStart = w.pos;
    const start = w.begin(0x12);
    const traceId = this.stringOf(0);
    const spanId = this.stringOf(1);
    const parentSpanId = this.stringOf(2);
    const idsHex = w.hexField(0x0a, traceId) && w.hexField(0x12, spanId) && w.hexField(0x22, parentSpanId);
    if (s.recall(tokens, 3)) this.str(0x1a, true);
    w.fixed32Field(0x85, nums[4]!); // field 16: a two-byte tag, written as a varint
    if (s.recall(tokens, 5)) this.str(0x2a, true);
    w.uint32Field(0x30, spanKindOf(nums[6]!));
    if (s.recall(tokens, 7)) this.time(0x39);
    if (s.recall(tokens, 8)) this.time(0x41);
    w.append(scratch[0]!);
    this.count(0x50, nums[10]! + dropped);
    w.append(scratch[1]!);
    this.counts.droppedEvents += extraEvents;
    this.count(0x60, nums[12]! + extraEvents);
    w.append(scratch[2]!);
    this.counts.droppedLinks += extraLinks;
    this.count(0x70, nums[14]! + extraLinks);
    if (statusCode >= 0) {
      const body = w.begin(0x7a);
      w.uint32Field(0x18, statusCodeOf(statusCode));
      if (s.recall(tokens, 15)) this.str(0x12, true);
      w.endOrOmit(body);
    }

    const reason = idsHex && linkIdsHex ? invalidIdReason(traceId, spanId, parentSpanId) : jsonIdRejection(traceId, spanId, parentSpanId, linkIdsHex);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      w.pos = spanStart;
      return;
    }
    w.end(start);
    this.meter.spend(ESTIMATE.span);
  }

  /** The events or links list at the scanner: `each` for the first `max` elements; returns how many more there are. */
  private list(max: number, each: () => void): number {
    const s = this.s;
    if (s.open(ARRAY)) return 0;
    let n = 0;
    do {
      if (n++ < max) each();
      else s.skip();
    } while (s.more(ARRAY_END));
    return Math.max(0, n - max);
  }

  /** The span's string noted as token `k` ('' when absent). */
  private stringOf(k: number): string {
    return this.s.recall(this.tokens, k) ? this.s.text() : '';
  }

  private event(): void {
    const { s, w } = this;
    const at = this.at.item;
    this.fields(EVENT, at);
    const end = s.pos;
    const start = w.begin(0x5a);
    this.timeAt(0x09, at[0]!);
    this.strAt(0x12, at[1]!);
    const dropped = this.attributesAt(0x1a, at[2]!);
    this.count(0x20, this.uint32At(at[3]!) + dropped);
    w.end(start);
    s.pos = end;
  }

  /** One link; false when one of its ids is not hex (which rejects the span). */
  private link(): boolean {
    const { s, w } = this;
    const at = this.at.item;
    this.fields(LINK, at);
    const end = s.pos;
    const start = w.begin(0x6a);
    const traceId = this.stringAt(at[0]!);
    const spanId = this.stringAt(at[1]!);
    const hex = w.hexField(0x0a, traceId) && w.hexField(0x12, spanId);
    this.strAt(0x1a, at[2]!);
    const dropped = this.attributesAt(0x22, at[3]!);
    this.count(0x28, this.uint32At(at[4]!) + dropped);
    w.fixed32Field(0x35, this.uint32At(at[5]!));
    w.end(start);
    s.pos = end;
    return hex;
  }

  /**
   * Reads the object at the scanner, noting in `at` where the value of each of `keys` starts (-1
   * when absent or null) and skipping the rest. A repeated key gives up (JSON.parse keeps the last).
   */
  private fields(keys: KeyTable, at: Int32Array): void {
    const s = this.s;
    at.fill(-1);
    if (s.peek() !== OBJECT) bail();
    if (s.open(OBJECT)) return;
    let seen = 0;
    do {
      const k = s.key(keys);
      if (k < 0) {
        s.skip();
        continue;
      }
      if ((seen & (1 << k)) !== 0) bail();
      seen |= 1 << k;
      if (s.null()) continue;
      at[k] = s.pos;
      s.skip();
    } while (s.more(OBJECT_END));
  }

  /** The string at `pos` ('' when -1). */
  private stringAt(pos: number): string {
    if (pos < 0) return '';
    this.s.pos = pos;
    this.s.string();
    return this.s.text();
  }

  /** The string field at `pos`, left out when absent or empty. */
  private strAt(tag: number, pos: number): void {
    if (pos < 0) return;
    this.s.pos = pos;
    this.s.string();
    this.str(tag, true);
  }

  /** The string just read as a field (charged to the budget and cut to maxValueBytes as JsonTranscoder does). */
  private str(tag: number, omitEmpty: boolean): void {
    const { s, w } = this;
    const n = s.strEnd - s.strStart;
    if (!s.strEscaped && s.strAscii && n <= this.limits.maxValueBytes) {
      // ASCII without escapes: its bytes are its UTF-8 and its length its UTF-16 length.
      if (n === 0 && omitEmpty) return;
      this.meter.spend(Math.ceil((n * 2) / 3));
      w.stringBytes(tag, s.buf, s.strStart, s.strEnd);
      return;
    }
    const text = s.text();
    if (omitEmpty && text === '') return;
    this.meter.spend(Math.ceil((text.length * 2) / 3));
    if (w.string(tag, text, this.limits.maxValueBytes)) this.counts.truncatedValues++;
  }

  /** A uint32 at `pos` (0 when -1). */
  private uint32At(pos: number): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.uint32();
  }

  /** A uint32 at the scanner: a plain number read here, any other form by JsonReader. */
  private uint32(): number {
    const s = this.s;
    if (isDigit(s.peek())) {
      s.number();
      const v = s.smallUint();
      if (v >= 0 && v <= UINT32_MAX) return v;
      s.pos = s.numStart;
    }
    return this.j.uint32({ v: this.scalar() }, 'v');
  }

  /** An enum at `pos` (0 when -1). */
  private enumAt(pos: number, names: ReadonlyMap<string, number>): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.enumValue(names);
  }

  /** An enum at the scanner: a non-negative number or a name read here, any other form by JsonReader. */
  private enumValue(names: ReadonlyMap<string, number>): number {
    const s = this.s;
    const c = s.peek();
    if (c === QUOTE) {
      s.string();
      const byName = names.get(s.text());
      if (byName !== undefined) return byName;
      s.pos = s.strStart - 1;
    } else if (isDigit(c)) {
      s.number();
      const v = s.smallUint();
      if (v >= 0) return v;
      s.pos = s.numStart;
    }
    return this.j.enumValue({ v: this.scalar() }, 'v', names);
  }

  /** The scalar at the scanner as JSON.parse gives it, for JsonReader's rules on the rarer forms. */
  private scalar(): unknown {
    const s = this.s;
    const c = s.peek();
    if (c === QUOTE) {
      s.string();
      return s.text();
    }
    if (c === 0x74 || c === 0x66) {
      s.literal(c === 0x74 ? 'true' : 'false');
      return c === 0x74;
    }
    s.number();
    return Number(s.buf.toString('latin1', s.numStart, s.numEnd));
  }

  /** A fixed64 time at `pos` (nothing when -1). */
  private timeAt(tag: number, pos: number): void {
    if (pos < 0) return;
    this.s.pos = pos;
    this.s.string();
    this.time(tag);
  }

  /** A fixed64 time from the string just read: up to 19 digits here, any other text by JsonReader. */
  private time(tag: number): void {
    const text = this.s.text();
    if (!this.w.fixed64Digits(tag, text)) this.w.fixed64Field(tag, this.j.fixed64({ v: text }, 'v'));
  }

  /** A dropped*Count: the sender's plus what the limits dropped. */
  private count(tag: number, n: number): void {
    this.w.uint32Field(tag, Math.min(n, UINT32_MAX));
  }

  /** The top-level attribute list at `pos` (-1: none); returns how many were dropped. */
  private attributesAt(tag: number, pos: number): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.attributes(tag);
  }

  /**
   * A top-level KeyValue list at the scanner: entries past maxAttributes are skipped and counted
   * (returned). An entry whose value is over a limit, which would be dropped, gives up.
   */
  private attributes(tag: number): number {
    const s = this.s;
    if (s.open(ARRAY)) return 0;
    const max = this.limits.maxAttributes;
    let n = 0;
    let extra = 0;
    do {
      if (n < max) {
        this.entry(tag, 1);
        n++;
      } else {
        s.skip();
        extra++;
      }
    } while (s.more(ARRAY_END));
    this.counts.droppedAttributes += extra;
    this.meter.spend(n * ESTIMATE.entry);
    return extra;
  }

  /** A KeyValue at the scanner as field `tag`, its value at nesting `level`; the key is written first whatever the order. */
  private entry(tag: number, level: number): void {
    const { s, w } = this;
    if (s.peek() !== OBJECT) bail();
    const start = w.begin(tag);
    let seen = 0;
    if (!s.open(OBJECT)) {
      do {
        const k = s.key(KEY_VALUE);
        if (k < 0) {
          s.skip();
          continue;
        }
        if ((seen & (1 << k)) !== 0) bail();
        seen |= 1 << k;
        if (s.null()) continue;
        const at = w.pos;
        if (k === 0) {
          s.string();
          this.str(0x0a, true);
          // After the value: moved before it.
          w.moveBefore(start, at);
        } else {
          if (s.peek() !== OBJECT) bail();
          const value = w.begin(0x12);
          this.anyValue(level);
          w.endOrOmit(value);
        }
      } while (s.more(OBJECT_END));
    }
    w.end(start);
  }

  /** An AnyValue object at the scanner: its one value field (`level` 1 at the top). */
  private anyValue(level: number): void {
    const { s, w } = this;
    if (level > MAX_VALUE_DEPTH) bail();
    if (s.open(OBJECT)) return;
    let seen = 0;
    let found = false;
    do {
      const k = s.key(ANY_VALUE);
      if (k < 0) {
        s.skip();
        continue;
      }
      if ((seen & (1 << k)) !== 0) bail();
      seen |= 1 << k;
      if (s.null()) continue;
      if (found) bail();
      found = true;
      switch (k) {
        case 0: // stringValue
          s.string();
          this.str(0x0a, false);
          break;
        case 1: {
          // boolValue
          const t = s.peek() === 0x74;
          s.literal(t ? 'true' : 'false');
          w.varint(0x10);
          w.varint(t ? 1 : 0);
          break;
        }
        case 2: // intValue
          w.varint(0x18);
          this.int();
          break;
        case 3: // doubleValue: a number, or a string JsonReader reads ("NaN", "1.5")
          if (s.peek() === QUOTE) {
            s.string();
            const v = this.j.double(s.text(), 'doubleValue');
            w.varint(0x21);
            w.double(v);
            break;
          }
          s.number();
          w.varint(0x21);
          w.double(Number(s.buf.toString('latin1', s.numStart, s.numEnd)));
          break;
        case 4: {
          // bytesValue
          s.string();
          const bytes = this.j.bytes(s.text(), 'bytesValue');
          const max = this.limits.maxValueBytes;
          if (bytes.length > max) this.counts.truncatedValues++;
          w.bytes(0x3a, bytes.length > max ? bytes.subarray(0, max) : bytes);
          break;
        }
        default:
          // arrayValue (5): AnyValues; kvlistValue (6): KeyValues.
          this.values(k === 5 ? 0x2a : 0x32, level);
      }
    } while (s.more(OBJECT_END));
  }

  /**
   * An intValue: an integer of at most 15 digits (a safe one) read here, any other number or string
   * as JSON.parse would give it to JsonReader.
   */
  private int(): void {
    const s = this.s;
    const buf = s.buf;
    let from: number;
    let to: number;
    const text = s.peek() === QUOTE;
    if (text) {
      s.string();
      from = s.strStart;
      to = s.strEscaped ? from : s.strEnd;
    } else {
      s.number();
      from = s.numStart;
      to = s.numInteger ? s.numEnd : from;
    }
    const negative = buf[from] === 0x2d;
    const digits = to - from - (negative ? 1 : 0);
    if (digits >= 1 && digits <= 15) {
      let v = 0;
      for (let i = negative ? from + 1 : from; i < to; i++) {
        const d = buf[i]! - 0x30;
        if (d < 0 || d > 9) bail();
        v = v * 10 + d;
      }
      this.w.int64Safe(negative ? -v : v);
      return;
    }
    const x = text ? s.text() : Number(buf.toString('latin1', s.numStart, s.numEnd));
    this.w.int64(this.j.int64(x, 'intValue'));
  }

  /**
   * An arrayValue (`tag` 0x2a: its `values` are AnyValues) or a kvlistValue (0x32: KeyValues) at
   * level `level`. More than maxArrayElements would drop the attribute: that gives up.
   */
  private values(tag: number, level: number): void {
    const { s, w } = this;
    if (s.peek() !== OBJECT) bail();
    const start = w.begin(tag);
    const array = tag === 0x2a;
    let seen = false;
    if (!s.open(OBJECT)) {
      do {
        if (s.key(LIST) < 0) {
          s.skip();
          continue;
        }
        if (seen) bail();
        seen = true;
        if (s.null() || s.open(ARRAY)) continue;
        let n = 0;
        do {
          if (++n > this.limits.maxArrayElements) bail();
          if (array) {
            if (s.peek() !== OBJECT) bail();
            const el = w.begin(0x0a);
            this.anyValue(level + 1);
            w.end(el);
          } else this.entry(0x0a, level + 1);
        } while (s.more(ARRAY_END));
        this.meter.spend(n * (array ? ESTIMATE.value : ESTIMATE.entry));
      } while (s.more(OBJECT_END));
    }
    w.end(start);
  }
}
