import { isUtf8 } from 'node:buffer';
import { emptyAttributes, RUN_ID_ATTRIBUTE, taggedRunId } from '@tracecheck/model';
import type { InstrumentationScope, Resource, Span } from '@tracecheck/model';
import { spanPath } from '../decode-result.js';
import { ReaderDecoder } from '../reader-decoder.js';
import { MAX_VALUE_DEPTH, spanKindOf, statusCodeOf } from '../enums.js';
import { OtlpDecodeError } from '../errors.js';
import { invalidIdReason } from '../ids.js';
import { truncatedAt } from '../proto-reader.js';
import { Columns, SKIM_ROW_BYTES } from './columns.js';
import { isRunKey, storeIdWords, wordsOfHex } from './id-words.js';
import type { SkimResult } from './skim-result.js';

/*
 * The skim: ReaderDecoder's walk of the request (resources and scopes decoded whole, by the same
 * code) with its `span` replaced by a validating pass that builds no objects. The pass reads every
 * field the full decoder reads, in the same order, with the same reader calls (so the same varints,
 * lengths, wire types, nesting depth and MAX_FIELDS_PER_MESSAGE count), and checks strings for
 * UTF-8 instead of decoding them. It is exact while no decode limit is involved. A span that comes
 * near one (more attribute, event, link, element or entry fields than the limit allows, counting
 * repeats and merged values; a string or bytes value over maxValueBytes) is read again from its
 * start by the full decoder's readSpan, which applies the limits, and the row is marked complex.
 * Limits change what is read (over-limit regions are stepped over unread), so going back before the
 * first one keeps the pass from checking more than the full decoder does.
 */

/** Thrown inside the pass when the span needs the full decoder. */
const COMPLEX = Symbol('complex span');

/** What a span's own `test.run.id` attribute says, pending its resource's once the request is read. */
const RUN_ABSENT = 0;
const RUN_STRING = 1;
const RUN_OTHER = 2;

export class SkimDecoder extends ReaderDecoder {
  readonly columns: Columns;
  private readonly resources: Resource[] = [];
  private readonly scopes: InstrumentationScope[] = [];
  /**
   * Elements and entries counted per value nesting level, summed over every array and kvlist field
   * of one value (merged values continue one list): an upper bound of the decoder's list lengths.
   */
  private readonly listFields = new Int32Array(MAX_VALUE_DEPTH + 2);
  /** The string member of the value last walked, or -1 when its last member is not a string. */
  private valueStart = -1;
  private valueEnd = 0;
  /** The span's run attribute: RUN_* and, for RUN_STRING, its bytes. */
  private run = RUN_ABSENT;
  private runStart = 0;
  private runEnd = 0;

  constructor(reader: ConstructorParameters<typeof ReaderDecoder>[0], options: ConstructorParameters<typeof ReaderDecoder>[1], expectedRows: number) {
    super(reader, options);
    this.columns = new Columns(expectedRows);
  }

  /** Charges the budget for keeping the request's bytes, before anything is read. */
  chargeArena(bytes: number): void {
    this.meter.spend(bytes);
    this.meter.flush();
  }

  protected override span(resource: Resource, scope: InstrumentationScope, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const r = this.r;
    const start = r.pos;
    const end = r.len;
    const fields = this.fieldsSincePause;
    const depth = this.depth;
    const links = this.columns.linkWords;
    try {
      this.skimSpan(start, end, resource, scope, rsIndex, ssIndex, spanIndex);
    } catch (e) {
      if (e !== COMPLEX) throw e;
      r.pos = start;
      r.len = end;
      this.depth = depth;
      this.fieldsSincePause = fields;
      this.columns.linkWords = links;
      this.rowOfSpan(this.readSpan(resource, scope), start, end, rsIndex, ssIndex, spanIndex, links);
    }
  }

  private skimSpan(start: number, end: number, resource: Resource, scope: InstrumentationScope, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const r = this.r;
    const links = this.columns.linkWords;
    const { maxAttributes, maxEvents, maxLinks } = this.limits;
    let trace = -1;
    let traceLen = 0;
    let id = -1;
    let idLen = 0;
    let parent = -1;
    let parentLen = 0;
    let nameStart = -1;
    let nameEnd = 0;
    let flags = 0;
    let kind = 0;
    let startTime = -1;
    let endTime = -1;
    let statusCode = 0;
    let attributes = 0;
    let events = 0;
    let linkCount = 0;
    this.run = RUN_ABSENT;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      switch (tag) {
        case 0x0a: trace = this.lengthDelimited(); traceLen = r.pos - trace; continue;
        case 0x12: id = this.lengthDelimited(); idLen = r.pos - id; continue;
        case 0x1a: this.skimString(); continue;
        case 0x22: parent = this.lengthDelimited(); parentLen = r.pos - parent; continue;
        case 0x85: flags = r.fixed32(); continue;
        case 0x2a: nameStart = this.skimString(); nameEnd = r.pos; continue;
        case 0x30: kind = r.int32(); continue;
        case 0x39: startTime = this.skimFixed64(); continue;
        case 0x41: endTime = this.skimFixed64(); continue;
        case 0x4a:
          if (++attributes > maxAttributes) throw COMPLEX;
          this.skimKeyValue(1, true);
          continue;
        case 0x5a:
          if (++events > maxEvents) throw COMPLEX;
          this.skimEvent();
          continue;
        case 0x6a:
          if (++linkCount > maxLinks) throw COMPLEX;
          this.skimLink();
          continue;
        case 0x50: case 0x60: case 0x70: r.uint32(); continue;
        case 0x7a: {
          const outer = this.enter();
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x12) this.skimString();
            else if (t === 0x18) statusCode = r.int32();
            else this.skip(t);
          }
          this.leave(outer);
          continue;
        }
      }
      this.skip(tag);
    }
    const buf = this.buf;
    const valid =
      traceLen === 16 && idLen === 8 && (parentLen === 0 || parentLen === 8) && !allZero(buf, trace, 16) && !allZero(buf, id, 8);
    if (!valid) {
      const hex = (at: number, len: number): string => buf.toString('hex', at, at + len);
      const reason = invalidIdReason(hex(trace, traceLen), hex(id, idLen), hex(parent, parentLen));
      if (reason !== undefined) {
        this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
        this.columns.linkWords = links;
        return;
      }
    }
    const c = this.columns;
    const row = this.addRow(start, end, resource, scope, links);
    const ids = c.ids;
    storeIdWords(ids, row * 8, buf, trace, 4);
    storeIdWords(ids, row * 8 + 4, buf, id, 2);
    if (parentLen === 8) storeIdWords(ids, row * 8 + 6, buf, parent, 2);
    if (startTime >= 0) c.startNanos[row] = this.view.getBigUint64(startTime, true);
    if (endTime >= 0) c.endNanos[row] = this.view.getBigUint64(endTime, true);
    c.kind[row] = spanKindOf(kind);
    c.statusCode[row] = statusCodeOf(statusCode);
    c.flags[row] = flags;
    const name = nameStart < 0 ? '' : this.cachedString(nameStart, nameEnd);
    c.names.push(name);
    if (this.run === RUN_ABSENT) {
      c.runTags.push(undefined);
      c.inherits[row] = 1;
    } else {
      // taggedRunId's rule: the span's own attribute decides once present; only a non-empty string tags.
      c.runTags.push(this.run === RUN_STRING && this.runEnd > this.runStart ? this.cachedString(this.runStart, this.runEnd) : undefined);
    }
    this.meter.spend(SKIM_ROW_BYTES + name.length);
  }

  /** A row from a span the full decoder read (near a limit): its columns from the model span. */
  private rowOfSpan(span: Span, start: number, end: number, rsIndex: number, ssIndex: number, spanIndex: number, links: number): void {
    const reason = invalidIdReason(span.traceId, span.spanId, span.parentSpanId);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      return;
    }
    const c = this.columns;
    for (const link of span.links) {
      if (link.traceId.length === 32 && link.spanId.length === 16) {
        const at = c.linkWordsFor();
        wordsOfHex(c.linkIds, at, link.traceId);
        wordsOfHex(c.linkIds, at + 4, link.spanId);
      }
    }
    const row = this.addRow(start, end, span.resource, span.scope, links);
    wordsOfHex(c.ids, row * 8, span.traceId);
    wordsOfHex(c.ids, row * 8 + 4, span.spanId);
    if (span.parentSpanId !== '') wordsOfHex(c.ids, row * 8 + 6, span.parentSpanId);
    c.startNanos[row] = span.startTimeUnixNano;
    c.endNanos[row] = span.endTimeUnixNano;
    c.kind[row] = span.kind;
    c.statusCode[row] = span.status.code;
    c.flags[row] = span.flags;
    c.complex[row] = 1;
    c.names.push(span.name);
    // Its resource may still change (a Resource field after the spans is merged in): see skimResult.
    const own = span.attributes.has(RUN_ID_ATTRIBUTE);
    c.runTags.push(own ? taggedRunId(span) : undefined);
    if (!own) c.inherits[row] = 1;
    this.meter.spend(SKIM_ROW_BYTES + span.name.length);
    this.spend(0);
  }

  private addRow(start: number, end: number, resource: Resource, scope: InstrumentationScope, links: number): number {
    const c = this.columns;
    const row = c.addRow(links);
    c.ranges[row * 2] = start;
    c.ranges[row * 2 + 1] = end;
    if (this.resources[this.resources.length - 1] !== resource) this.resources.push(resource);
    if (this.scopes[this.scopes.length - 1] !== scope) this.scopes.push(scope);
    c.resourceIndex[row] = this.resources.length - 1;
    c.scopeIndex[row] = this.scopes.length - 1;
    return row;
  }

  /** Steps over a string field, checking what str() / key() would decode; returns its start. */
  private skimString(): number {
    const start = this.lengthDelimited();
    const end = this.r.pos;
    if (end - start > this.maxValueBytes) throw COMPLEX;
    const buf = this.buf;
    // Mostly ASCII: one test after the loop instead of one per byte.
    let bits = 0;
    for (let i = start; i < end; i++) bits |= buf[i]!;
    if (bits >= 0x80 && !isUtf8(buf.subarray(start, end))) {
      throw new OtlpDecodeError('invalid UTF-8 in the string field ending', { offset: end });
    }
    return start;
  }

  /** Steps over a fixed64 as fixed64() reads it; returns its offset. */
  private skimFixed64(): number {
    const r = this.r;
    if (r.pos + 8 > r.len) throw truncatedAt(r.pos);
    r.pos += 8;
    return r.pos - 8;
  }

  /** A KeyValue, as keyValue(_, level) reads it; `span` when it is one of the span's own attributes. */
  private skimKeyValue(level: number, span: boolean): void {
    const r = this.r;
    const outer = this.enter();
    let run = false;
    this.valueStart = -1;
    this.listFields[level] = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        const start = this.skimString();
        if (span) run = isRunKey(this.buf, start, r.pos);
      } else if (tag === 0x12) {
        const inner = this.enter();
        this.skimAnyValue(level);
        this.leave(inner);
      } else this.skip(tag);
    }
    this.leave(outer);
    if (run) {
      // The last KeyValue with the key wins (Map.set); an absent value is the empty value.
      this.run = this.valueStart < 0 ? RUN_OTHER : RUN_STRING;
      this.runStart = this.valueStart;
      this.runEnd = this.valueEnd;
    }
  }

  /** An AnyValue, as anyValue(_, level) reads it; leaves valueStart at its string member, if last. */
  private skimAnyValue(level: number): void {
    if (level > MAX_VALUE_DEPTH) {
      throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`, { offset: this.r.pos });
    }
    const r = this.r;
    const max = this.limits.maxArrayElements;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      switch (tag) {
        case 0x0a:
          this.valueStart = this.skimString();
          this.valueEnd = r.pos;
          continue;
        case 0x10: r.bool(); this.valueStart = -1; continue;
        case 0x18: this.skimInt64(); this.valueStart = -1; continue;
        case 0x21: r.skip(8); this.valueStart = -1; continue;
        case 0x2a: {
          const outer = this.enter();
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x0a) {
              if (++this.listFields[level]! > max) throw COMPLEX;
              const inner = this.enter();
              this.listFields[level + 1] = 0;
              this.skimAnyValue(level + 1);
              this.leave(inner);
            } else this.skip(t);
          }
          this.leave(outer);
          this.valueStart = -1;
          continue;
        }
        case 0x32: {
          const outer = this.enter();
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x0a) {
              if (++this.listFields[level]! > max) throw COMPLEX;
              this.skimKeyValue(level + 1, false);
            } else this.skip(t);
          }
          this.leave(outer);
          this.valueStart = -1;
          continue;
        }
        case 0x3a:
          this.skimBytes();
          this.valueStart = -1;
          continue;
      }
      this.skip(tag);
    }
  }

  /** int64(): its fast path, and protobufjs's reading past it (which can refuse the varint). */
  private skimInt64(): void {
    const r = this.r;
    const buf = this.buf;
    for (let i = 0, pos = r.pos; i < 7 && pos < r.len; i++) {
      if (buf[pos++]! < 0x80) {
        r.pos = pos;
        return;
      }
    }
    this.int64();
  }

  private skimBytes(): void {
    const start = this.lengthDelimited();
    if (this.r.pos - start > this.maxValueBytes) throw COMPLEX;
  }

  private skimEvent(): void {
    const r = this.r;
    const outer = this.enter();
    let attributes = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x09) this.skimFixed64();
      else if (tag === 0x12) this.skimString();
      else if (tag === 0x1a) {
        if (++attributes > this.limits.maxAttributes) throw COMPLEX;
        this.skimKeyValue(1, false);
      } else if (tag === 0x20) r.uint32();
      else this.skip(tag);
    }
    this.leave(outer);
  }

  /** A link; its ids are listed when they can name a span (16 and 8 bytes). */
  private skimLink(): void {
    const r = this.r;
    const outer = this.enter();
    let trace = -1;
    let traceLen = 0;
    let id = -1;
    let idLen = 0;
    let attributes = 0;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        trace = this.lengthDelimited();
        traceLen = r.pos - trace;
      } else if (tag === 0x12) {
        id = this.lengthDelimited();
        idLen = r.pos - id;
      } else if (tag === 0x1a) this.skimString();
      else if (tag === 0x22) {
        if (++attributes > this.limits.maxAttributes) throw COMPLEX;
        this.skimKeyValue(1, false);
      } else if (tag === 0x28) r.uint32();
      else if (tag === 0x35) r.fixed32();
      else this.skip(tag);
    }
    this.leave(outer);
    if (traceLen === 16 && idLen === 8) {
      const c = this.columns;
      const at = c.linkWordsFor();
      storeIdWords(c.linkIds, at, this.buf, trace, 4);
      storeIdWords(c.linkIds, at + 4, this.buf, id, 2);
    }
  }

  /** The skim's result, once the request is read; `bytes` are the request's (owned) bytes. */
  skimResult(bytes: Uint8Array): SkimResult {
    this.meter.flush();
    this.counts.truncatedValues = this.truncatedValues;
    const { rejectedSpans, errorMessage, limited } = this.rejections.result([], this.counts, this.limits);
    // Resources are final only now (a Resource field may follow its spans): resolve inherited tags.
    const resourceTags = this.resources.map((resource) => taggedRunId({ attributes: emptyAttributes, resource } as Span));
    return {
      bytes,
      ...this.columns.finish(resourceTags),
      resources: this.resources,
      scopes: this.scopes,
      rejectedSpans,
      errorMessage,
      ...(limited === undefined ? {} : { limited }),
    };
  }
}

function allZero(buf: Buffer, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (buf[i] !== 0) return false;
  return true;
}
