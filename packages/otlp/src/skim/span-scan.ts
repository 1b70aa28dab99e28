import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import { MAX_VALUE_DEPTH } from '../enums.js';
import { OtlpDecodeError } from '../errors.js';
import type { DecodeLimits } from '../limits.js';
import { truncatedAt } from '../proto-reader.js';
import type { Columns } from './columns.js';
import { isRunKey, storeIdWords } from './id-words.js';

/*
 * The skim's pass over one Span message: it reads every field the full decoder's readSpan reads, in
 * the same order and with the same wire rules (varints, lengths, wire types, skipped fields and
 * groups at the same nesting depth), and checks strings for UTF-8 instead of decoding them. It builds
 * nothing: it notes where the index fields are, and checks the span's strings together at its end
 * (a refusal is a refusal wherever it is found). Positions are locals, not the protobufjs Reader's:
 * tags, lengths and small varints of one or two bytes are read here, and anything else (a longer
 * varint, one near the end of its message, a skipped field) is handed to the Reader at the same
 * position, so the rules of a rare case are protobufjs's own, not a copy of them.
 *
 * It is exact while no decode limit is involved. Near one (more attribute, event, link, element or
 * entry fields than a limit allows, counting repeats and merged values; a string or bytes value over
 * maxValueBytes) it throws COMPLEX, and the caller reads the span with the full decoder instead.
 */

/** Thrown by the pass when the span needs the full decoder. */
export const COMPLEX = Symbol('complex span');

/** What a span's own `test.run.id` attribute says, pending its resource's once the request is read. */
export const RUN_ABSENT = 0;
export const RUN_STRING = 1;
export const RUN_OTHER = 2;

export class SpanScan {
  // Where the span's index fields are in the bytes (-1: absent), and its small values.
  trace = -1;
  traceLen = 0;
  id = -1;
  idLen = 0;
  parent = -1;
  parentLen = 0;
  nameStart = -1;
  nameEnd = 0;
  startTime = -1;
  endTime = -1;
  flags = 0;
  kind = 0;
  statusCode = 0;
  /** The span's run attribute: RUN_* and, for RUN_STRING, its bytes. */
  run = RUN_ABSENT;
  runStart = 0;
  runEnd = 0;

  /** Where the last read ends (reads that return a value), or where its bytes start (lengthDelimited). */
  private at = 0;
  /** The string member of the value last walked, or -1 when its last member is not a string. */
  private valueStart = -1;
  private valueEnd = 0;
  /**
   * Elements and entries counted per value nesting level, summed over every array and kvlist field
   * of one value (merged values continue one list): an upper bound of the decoder's list lengths.
   */
  private readonly listFields = new Int32Array(MAX_VALUE_DEPTH + 2);
  /** The span's strings, [start, end) pairs, for `checkStrings`. */
  private strings = new Int32Array(64);
  private stringInts = 0;
  private readonly maxValueBytes: number;

  /** `view` is a DataView of `buf`, both the Reader's bytes. */
  constructor(
    private readonly r: protobuf.Reader,
    private readonly buf: Uint8Array,
    private readonly view: DataView,
    private readonly limits: DecodeLimits,
    private readonly columns: Columns,
  ) {
    this.maxValueBytes = limits.maxValueBytes;
  }

  /** Scans the Span message at [start, end), at nesting depth `depth`; its links go to the columns. */
  scan(start: number, end: number, depth: number): void {
    const { maxAttributes, maxEvents, maxLinks } = this.limits;
    let attributes = 0;
    let events = 0;
    let links = 0;
    this.trace = this.id = this.parent = this.nameStart = this.startTime = this.endTime = -1;
    this.traceLen = this.idLen = this.parentLen = this.flags = this.kind = this.statusCode = 0;
    this.run = RUN_ABSENT;
    this.stringInts = 0;
    let pos = start;
    while (pos < end) {
      const tag = this.tag(pos, end);
      pos = this.at;
      switch (tag) {
        case 0x0a: pos = this.lengthDelimited(pos, end); this.trace = this.at; this.traceLen = pos - this.at; continue;
        case 0x12: pos = this.lengthDelimited(pos, end); this.id = this.at; this.idLen = pos - this.at; continue;
        case 0x1a: pos = this.string(pos, end); continue;
        case 0x22: pos = this.lengthDelimited(pos, end); this.parent = this.at; this.parentLen = pos - this.at; continue;
        case 0x85: this.flags = this.fixed32(pos, end); pos += 4; continue;
        case 0x2a: pos = this.string(pos, end); this.nameStart = this.at; this.nameEnd = pos; continue;
        case 0x30: this.kind = this.uint32(pos, end) | 0; pos = this.at; continue;
        case 0x39: pos = this.fixed64(pos, end); this.startTime = pos - 8; continue;
        case 0x41: pos = this.fixed64(pos, end); this.endTime = pos - 8; continue;
        case 0x4a:
          if (++attributes > maxAttributes) throw COMPLEX;
          pos = this.keyValue(pos, end, depth + 1, 1, true);
          continue;
        case 0x5a:
          if (++events > maxEvents) throw COMPLEX;
          pos = this.event(pos, end, depth + 1);
          continue;
        case 0x6a:
          if (++links > maxLinks) throw COMPLEX;
          pos = this.link(pos, end, depth + 1);
          continue;
        case 0x50: case 0x60: case 0x70: this.uint32(pos, end); pos = this.at; continue;
        case 0x7a: pos = this.status(pos, end, depth + 1); continue;
      }
      pos = this.skip(tag, pos, end, depth);
    }
    this.checkStrings();
  }

  private status(pos: number, end: number, depth: number): number {
    const stop = this.lengthDelimited(pos, end);
    pos = this.at;
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      if (tag === 0x12) pos = this.string(pos, stop);
      else if (tag === 0x18) {
        this.statusCode = this.uint32(pos, stop) | 0;
        pos = this.at;
      } else pos = this.skip(tag, pos, stop, depth);
    }
    return stop;
  }

  /** A KeyValue at `depth`, as keyValue(_, level) reads it; `span` when it is one of the span's own attributes. */
  private keyValue(pos: number, end: number, depth: number, level: number, span: boolean): number {
    const stop = this.lengthDelimited(pos, end);
    pos = this.at;
    let run = false;
    this.valueStart = -1;
    this.listFields[level] = 0;
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      if (tag === 0x0a) {
        pos = this.string(pos, stop);
        if (span) run = isRunKey(this.buf, this.at, pos);
      } else if (tag === 0x12) pos = this.anyValue(pos, stop, depth + 1, level);
      else pos = this.skip(tag, pos, stop, depth);
    }
    if (run) {
      // The last KeyValue with the key wins (Map.set); an absent value is the empty value.
      this.run = this.valueStart < 0 ? RUN_OTHER : RUN_STRING;
      this.runStart = this.valueStart;
      this.runEnd = this.valueEnd;
    }
    return stop;
  }

  /** An AnyValue at `depth`, as anyValue(_, level) reads it; leaves valueStart at its string member, if last. */
  private anyValue(pos: number, end: number, depth: number, level: number): number {
    const stop = this.lengthDelimited(pos, end);
    pos = this.at;
    if (level > MAX_VALUE_DEPTH) {
      throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`, { offset: pos });
    }
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      switch (tag) {
        case 0x0a:
          pos = this.string(pos, stop);
          this.valueStart = this.at;
          this.valueEnd = pos;
          continue;
        case 0x10: this.uint32(pos, stop); pos = this.at; this.valueStart = -1; continue;
        case 0x18: pos = this.int64(pos, stop); this.valueStart = -1; continue;
        case 0x21: pos = this.fixed64(pos, stop); this.valueStart = -1; continue;
        case 0x2a: pos = this.list(pos, stop, depth + 1, level, false); this.valueStart = -1; continue;
        case 0x32: pos = this.list(pos, stop, depth + 1, level, true); this.valueStart = -1; continue;
        case 0x3a:
          pos = this.lengthDelimited(pos, stop);
          if (pos - this.at > this.maxValueBytes) throw COMPLEX;
          this.valueStart = -1;
          continue;
      }
      pos = this.skip(tag, pos, stop, depth);
    }
    return stop;
  }

  /** An ArrayValue (elements: AnyValues) or a KeyValueList (entries: KeyValues) of a value at `level`. */
  private list(pos: number, end: number, depth: number, level: number, entries: boolean): number {
    const stop = this.lengthDelimited(pos, end);
    const max = this.limits.maxArrayElements;
    pos = this.at;
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      if (tag !== 0x0a) pos = this.skip(tag, pos, stop, depth);
      else if (++this.listFields[level]! > max) throw COMPLEX;
      else if (entries) pos = this.keyValue(pos, stop, depth + 1, level + 1, false);
      else {
        this.listFields[level + 1] = 0;
        pos = this.anyValue(pos, stop, depth + 1, level + 1);
      }
    }
    return stop;
  }

  private event(pos: number, end: number, depth: number): number {
    const stop = this.lengthDelimited(pos, end);
    let attributes = 0;
    pos = this.at;
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      if (tag === 0x09) pos = this.fixed64(pos, stop);
      else if (tag === 0x12) pos = this.string(pos, stop);
      else if (tag === 0x1a) {
        if (++attributes > this.limits.maxAttributes) throw COMPLEX;
        pos = this.keyValue(pos, stop, depth + 1, 1, false);
      } else if (tag === 0x20) {
        this.uint32(pos, stop);
        pos = this.at;
      } else pos = this.skip(tag, pos, stop, depth);
    }
    return stop;
  }

  /** A link; its ids are listed when they can name a span (16 and 8 bytes). */
  private link(pos: number, end: number, depth: number): number {
    const stop = this.lengthDelimited(pos, end);
    let trace = -1;
    let traceLen = 0;
    let id = -1;
    let idLen = 0;
    let attributes = 0;
    pos = this.at;
    while (pos < stop) {
      const tag = this.tag(pos, stop);
      pos = this.at;
      if (tag === 0x0a) {
        pos = this.lengthDelimited(pos, stop);
        trace = this.at;
        traceLen = pos - trace;
      } else if (tag === 0x12) {
        pos = this.lengthDelimited(pos, stop);
        id = this.at;
        idLen = pos - id;
      } else if (tag === 0x1a) pos = this.string(pos, stop);
      else if (tag === 0x22) {
        if (++attributes > this.limits.maxAttributes) throw COMPLEX;
        pos = this.keyValue(pos, stop, depth + 1, 1, false);
      } else if (tag === 0x28) {
        this.uint32(pos, stop);
        pos = this.at;
      } else if (tag === 0x35) {
        this.fixed32(pos, stop);
        pos += 4;
      } else pos = this.skip(tag, pos, stop, depth);
    }
    if (traceLen === 16 && idLen === 8) {
      const c = this.columns;
      const at = c.linkWordsFor();
      storeIdWords(c.linkIds, at, this.view, trace, 4);
      storeIdWords(c.linkIds, at + 4, this.view, id, 2);
    }
    return stop;
  }

  // Wire reads. Each reads at `pos` within a message ending at `end`, as the Reader would with pos and
  // len there; a value is returned and its end left in `at`, a length-delimited field's end is
  // returned and its start left in `at`. The common case is a few lines (so it is inlined); the rest
  // is in a method of its own.

  /** Reader.tag(). */
  private tag(pos: number, end: number): number {
    const b = this.buf[pos]!;
    if (b < 0x80) {
      this.at = pos + 1;
      return b;
    }
    return this.longTag(pos, end);
  }

  /** A tag of two bytes (flags: field 16), or any the Reader reads. */
  private longTag(pos: number, end: number): number {
    const buf = this.buf;
    if (pos + 1 < end && buf[pos + 1]! < 0x80) {
      this.at = pos + 2;
      return (buf[pos]! & 0x7f) | (buf[pos + 1]! << 7);
    }
    const r = this.reader(pos, end);
    const tag = r.tag();
    this.at = r.pos;
    return tag;
  }

  /** Reader.uint32() (also int32() and bool(), which read it). */
  private uint32(pos: number, end: number): number {
    if (pos < end && this.buf[pos]! < 0x80) {
      this.at = pos + 1;
      return this.buf[pos]!;
    }
    const r = this.reader(pos, end);
    const v = r.uint32();
    this.at = r.pos;
    return v;
  }

  /** A length prefix (Reader.size()) and the bytes it covers, which must fit in the message. */
  private lengthDelimited(pos: number, end: number): number {
    if (pos < end && this.buf[pos]! < 0x80) {
      const stop = pos + 1 + this.buf[pos]!;
      if (stop > end) throw truncatedAt(pos + 1);
      this.at = pos + 1;
      return stop;
    }
    return this.longLengthDelimited(pos, end);
  }

  private longLengthDelimited(pos: number, end: number): number {
    const buf = this.buf;
    let size: number;
    if (pos + 1 < end && buf[pos + 1]! < 0x80) {
      size = (buf[pos]! & 0x7f) | (buf[pos + 1]! << 7);
      pos += 2;
    } else {
      const r = this.reader(pos, end);
      size = r.size();
      pos = r.pos;
    }
    if (pos + size > end) throw truncatedAt(pos);
    this.at = pos;
    return pos + size;
  }

  /** A string field: what str() would decode must be within maxValueBytes, and UTF-8 (checkStrings). */
  private string(pos: number, end: number): number {
    const stop = this.lengthDelimited(pos, end);
    if (stop - this.at > this.maxValueBytes) throw COMPLEX;
    const n = this.stringInts;
    if (n === this.strings.length) this.growStrings();
    this.strings[n] = this.at;
    this.strings[n + 1] = stop;
    this.stringInts = n + 2;
    return stop;
  }

  private growStrings(): void {
    const next = new Int32Array(this.strings.length * 2);
    next.set(this.strings);
    this.strings = next;
  }

  /**
   * Checks the span's strings for UTF-8 as str() would. They are mostly ASCII, which is tested for
   * all of them at once, four bytes at a time (the last four of each string may be read twice);
   * only when some byte is not ASCII is each string validated on its own.
   */
  private checkStrings(): void {
    const strings = this.strings;
    const view = this.view;
    const buf = this.buf;
    let bits = 0;
    for (let k = 0; k < this.stringInts; k += 2) {
      const start = strings[k]!;
      const end = strings[k + 1]!;
      if (end - start >= 4) {
        for (let i = start; i < end - 4; i += 4) bits |= view.getInt32(i);
        bits |= view.getInt32(end - 4);
      } else for (let i = start; i < end; i++) bits |= buf[i]!;
    }
    if ((bits & 0x80808080) === 0) return;
    for (let k = 0; k < this.stringInts; k += 2) {
      if (!isUtf8(buf.subarray(strings[k], strings[k + 1]))) {
        throw new OtlpDecodeError('invalid UTF-8 in the string field ending', { offset: strings[k + 1]! });
      }
    }
  }

  /** Reader.fixed32() (flags): returns the value; it ends 4 bytes on. */
  private fixed32(pos: number, end: number): number {
    if (pos + 4 > end) throw truncatedAt(pos);
    return this.view.getUint32(pos, true);
  }

  /** A fixed64 or double, stepped over; returns its end. */
  private fixed64(pos: number, end: number): number {
    if (pos + 8 > end) throw truncatedAt(pos);
    return pos + 8;
  }

  /** WireReader.int64(), stepped over: its fast path here, and protobufjs's reading past it. */
  private int64(pos: number, end: number): number {
    const buf = this.buf;
    for (let i = 0, p = pos; i < 7 && p < end; i++) if (buf[p++]! < 0x80) return p;
    const r = this.reader(pos, end);
    r.int64();
    return r.pos;
  }

  /** Skips an unknown field (or a known one with an unexpected wire type) as WireReader.skip does. */
  private skip(tag: number, pos: number, end: number, depth: number): number {
    const r = this.reader(pos, end);
    r.skipType(tag & 7, depth, tag >>> 3);
    return r.pos;
  }

  /** The Reader, at `pos` in a message ending at `end`. */
  private reader(pos: number, end: number): protobuf.Reader {
    this.r.pos = pos;
    this.r.len = end;
    return this.r;
  }
}
