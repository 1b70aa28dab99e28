import { Rejections, spanPath } from '../decode-result.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, spanKindOf, statusCodeOf } from '../enums.js';
import { invalidIdReason, jsonIdRejection } from '../ids.js';
import { ESTIMATE } from '../limits.js';
import { bail, KeyTable } from './byte-scanner.js';
import { ARRAY, ARRAY_END, ByteFieldTranscoder, OBJECT, OBJECT_END } from './byte-fields.js';
import { type TranscodeResult, transcodeResult } from './json-to-proto.js';
import { ProtoWriter, SCRATCH_POOL } from './proto-writer.js';

/*
 * OTLP/JSON -> protobuf straight from the body's bytes: no JS string of the body, no JSON.parse, no
 * objects. It writes byte for byte what JsonTranscoder (json-to-proto.ts) writes for the same body,
 * with the same limits, rejections and budget charges, but only for the bodies it fully understands:
 * anything unusual (a wrong type, a duplicated key, a value over a limit that drops an attribute, a
 * number in an odd form, a syntax error) gives up, and the caller takes the JSON.parse path, which
 * also renders any error. Fields are written in JsonTranscoder's order whatever the order of the
 * keys: a span is read in one scan (its strings noted by token, its attributes, events and links
 * written to scratch writers) and then written in order; a resource, scope, event, link or status
 * is scanned for where its fields are, then read in order; a resource or scope met after its list of
 * spans is moved before it.
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
const SPAN = new KeyTable(
  [
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
  ],
  // The OpenTelemetry JS serializer's order (traceState and parentSpanId only when set).
  [
    'traceId',
    'spanId',
    'parentSpanId',
    'name',
    'kind',
    'startTimeUnixNano',
    'endTimeUnixNano',
    'attributes',
    'droppedAttributesCount',
    'events',
    'droppedEventsCount',
    'status',
    'links',
    'droppedLinksCount',
    'flags',
  ],
);

export class FastJsonTranscoder extends ByteFieldTranscoder {
  /** A span's attributes, events and links, written when met, copied into place after its scalar fields. */
  private readonly scratch = [new ProtoWriter(4096, SCRATCH_POOL), new ProtoWriter(1024, SCRATCH_POOL), new ProtoWriter(1024, SCRATCH_POOL)];
  /** A span's string fields, by key index, as `ByteScanner.keep` notes them. */
  private readonly tokens = new Int32Array(3 * SPAN.names.length);
  /** A span's numeric fields (flags, counts, kind) by key index; 0 when absent. */
  private readonly nums = new Float64Array(SPAN.names.length);
  private readonly rejections = new Rejections();
  /** Whether every link id of the current span is hex. */
  private linkIdsHex = true;
  /** Where each known key's value starts, per kind of object read by `fields` (-1: absent or null). */
  private readonly at = {
    resourceSpans: new Int32Array(3),
    scopeSpans: new Int32Array(3),
    owner: new Int32Array(6),
    item: new Int32Array(6),
    status: new Int32Array(2),
  };

  result(): TranscodeResult {
    for (const w of this.scratch) w.release();
    return transcodeResult(this.meter, this.rejections, this.counts, this.limits, this.w);
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
    // The status, when present: its code (any integer: an unknown one reads as UNSET).
    let hasStatus = false;
    let statusCode = 0;
    let k = SPAN.names.length;
    scratch[0]!.pos = 0;
    scratch[1]!.pos = 0;
    scratch[2]!.pos = 0;
    this.linkIdsHex = true;
    if (s.peek() !== OBJECT) bail();
    if (!s.open(OBJECT)) {
      do {
        k = s.key(SPAN, k);
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
            extraEvents = this.list(limits.maxEvents, false);
            break;
          case 13:
            this.w = scratch[2]!;
            extraLinks = this.list(limits.maxLinks, true);
            break;
          case 15: {
            const st = this.at.status;
            this.fields(STATUS, st);
            const end = s.pos;
            hasStatus = true;
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
    const idsHex = this.id(0x0a, 0) && this.id(0x12, 1) && this.id(0x22, 2);
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
    if (hasStatus) {
      const body = w.begin(0x7a);
      w.uint32Field(0x18, statusCodeOf(statusCode));
      if (s.recall(tokens, 15)) this.str(0x12, true);
      w.endOrOmit(body);
    }

    const reason = this.idRejection(idsHex);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      w.pos = spanStart;
      return;
    }
    w.end(start);
    this.meter.spend(ESTIMATE.span);
  }

  /**
   * The span's events or (`links`) links at the scanner: the first `max` written, the rest only
   * counted (returned). A link id that is not hex clears `linkIdsHex`.
   */
  private list(max: number, links: boolean): number {
    const s = this.s;
    if (s.open(ARRAY)) return 0;
    let n = 0;
    do {
      if (n++ >= max) s.skip();
      else if (!links) this.event();
      else if (!this.link()) this.linkIdsHex = false;
    } while (s.more(ARRAY_END));
    return Math.max(0, n - max);
  }

  /** The span's string noted as token `k` ('' when absent). */
  private stringOf(k: number): string {
    return this.s.recall(this.tokens, k) ? this.s.text() : '';
  }

  /** The span's id noted as token `k`, written as field `tag` (see ProtoWriter.hexField). */
  private id(tag: number, k: number): boolean {
    const s = this.s;
    if (!s.recall(this.tokens, k)) return true;
    return s.strEscaped ? this.w.hexField(tag, s.text()) : this.w.hexField(tag, s.buf, s.strStart, s.strEnd);
  }

  /**
   * Why the current span is rejected for its ids, as JsonTranscoder says it, or undefined. Ids of
   * the right lengths, plain text and not all zeros (the usual case) are fine without making strings.
   */
  private idRejection(idsHex: boolean): string | undefined {
    const linkIdsHex = this.linkIdsHex;
    if (idsHex && linkIdsHex && this.plainId(0, 32, false) && this.plainId(1, 16, false) && this.plainId(2, 16, true)) return undefined;
    const traceId = this.stringOf(0);
    const spanId = this.stringOf(1);
    const parentSpanId = this.stringOf(2);
    return idsHex && linkIdsHex ? invalidIdReason(traceId, spanId, parentSpanId) : jsonIdRejection(traceId, spanId, parentSpanId, linkIdsHex);
  }

  /** Whether id token `k` is `length` characters without escapes, not all '0' (or absent, when `optional`). */
  private plainId(k: number, length: number, optional: boolean): boolean {
    const { s, tokens } = this;
    if (!s.recall(tokens, k)) return optional;
    if (s.strEscaped || s.strEnd - s.strStart !== length) return false;
    if (optional) return true; // a parent of zeros means none: fine
    for (let i = s.strStart; i < s.strEnd; i++) if (s.buf[i] !== 0x30) return true;
    return false;
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
}
