import type protobuf from 'protobufjs';
import { MAX_VALUE_DEPTH } from '../enums.js';
import { OtlpDecodeError } from '../errors.js';
import type { DecodeLimits } from '../limits.js';
import type { Columns } from './columns.js';
import { isRunKey, RUN_KEY_LENGTH, storeIdWords } from './id-words.js';
import { COMPLEX, ScanReads } from './scan-reads.js';

/*
 * The skim's pass over one Span message: it reads every field the full decoder's readSpan reads, in
 * the same order and with the same wire rules (varints, lengths, wire types, skipped fields and
 * groups at the same nesting depth), and checks strings for UTF-8 instead of decoding them. It builds
 * nothing: it notes where the index fields are, and checks the span's strings together at its end
 * (a refusal is a refusal wherever it is found). Its wire reads are ScanReads'.
 *
 * It is exact while no decode limit is involved. Near one (more attribute, event, link, element or
 * entry fields than a limit allows, counting repeats and merged values; a string or bytes value over
 * maxValueBytes) it throws COMPLEX, and the caller reads the span with the full decoder instead.
 */

/** What a span's own `test.run.id` attribute says, pending its resource's once the request is read. */
export const RUN_ABSENT = 0;
export const RUN_STRING = 1;
export const RUN_OTHER = 2;

/** What `scalar` finds: a value that is not one string; a value that is not one scalar. */
const NOT_STRING = -1;
const NOT_SCALAR = -2;

export class SpanScan extends ScanReads {
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

  /** The string member of the value last walked, or -1 when its last member is not a string. */
  private valueStart = -1;
  private valueEnd = 0;
  /**
   * Elements and entries counted per value nesting level, summed over every array and kvlist field
   * of one value (merged values continue one list): an upper bound of the decoder's list lengths.
   */
  private readonly listFields = new Int32Array(MAX_VALUE_DEPTH + 2);

  /** `view` is a DataView of `buf`, both the Reader's bytes. */
  constructor(
    r: protobuf.Reader,
    buf: Uint8Array,
    view: DataView,
    private readonly limits: DecodeLimits,
    private readonly columns: Columns,
  ) {
    super(r, buf, view, limits.maxValueBytes);
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
    this.clearStrings();
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
          pos = this.attribute(pos, end, depth + 1, true);
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

  /**
   * An attribute (a KeyValue at level 1) whose length follows its tag at `pos`. Most are a key and a
   * value holding one scalar or an array, with lengths of one byte, and are read here in one go,
   * checking every byte the general reading would check; any other form is keyValue's, from the start.
   */
  private attribute(pos: number, end: number, depth: number, span: boolean): number {
    const buf = this.buf;
    if (pos >= end) return this.keyValue(pos, end, depth, 1, span);
    const length = buf[pos]!;
    const stop = pos + 1 + length;
    const key = pos + 3;
    // Every length inside a KeyValue of under 128 bytes that ends within it is under 0x80 too.
    if (length >= 0x80 || length < 5 || stop > end || buf[pos + 1] !== 0x0a) return this.keyValue(pos, end, depth, 1, span);
    const keyEnd = key + buf[pos + 2]!;
    const value = keyEnd + 2;
    if (buf[keyEnd] !== 0x12 || value + buf[keyEnd + 1]! !== stop || keyEnd - key > this.maxValueBytes) {
      return this.keyValue(pos, end, depth, 1, span);
    }
    let text = this.scalar(value, stop);
    if (text === NOT_SCALAR) {
      // An array filling the value: the list is read as anyValue would (its length is one byte).
      if (buf[value] !== 0x2a || value + 2 + buf[value + 1]! !== stop) return this.keyValue(pos, end, depth, 1, span);
      this.noteString(key, keyEnd, pos - 1);
      this.listFields[1] = 0;
      this.list(value + 1, stop, depth + 2, 1, false);
      text = NOT_STRING;
    } else {
      // From the tag's last byte to the key, and from the key to a string value, every byte was
      // checked to be under 0x80.
      this.noteString(key, text < 0 ? keyEnd : stop, pos - 1);
    }
    if (span && keyEnd - key === RUN_KEY_LENGTH && isRunKey(buf, key, keyEnd)) {
      this.run = text < 0 ? RUN_OTHER : RUN_STRING;
      this.runStart = text;
      this.runEnd = stop;
    }
    return stop;
  }

  /** An array element (an AnyValue at `level`) whose length follows its tag at `pos`: a scalar here, else anyValue's. */
  private element(pos: number, end: number, depth: number, level: number): number {
    if (pos < end && this.buf[pos]! < 0x80 && level <= MAX_VALUE_DEPTH) {
      const stop = pos + 1 + this.buf[pos]!;
      const text = stop <= end && pos + 1 < stop ? this.scalar(pos + 1, stop) : NOT_SCALAR;
      if (text !== NOT_SCALAR) {
        // From the tag's last byte to a string, every byte was checked to be under 0x80.
        if (text >= 0) this.noteString(text, stop, pos - 1);
        return stop;
      }
    }
    return this.anyValue(pos, end, depth, level);
  }

  /**
   * What the AnyValue bytes [value, stop) hold when they are one member filling them: a string (where
   * its text starts), a varint of at most five bytes (which uint32() and int64() read alone) or a
   * double (NOT_STRING); NOT_SCALAR for anything else (an empty value too: `value` <= `stop`). The
   * value is under 128 bytes, so a length that fits in it is one byte under 0x80.
   */
  private scalar(value: number, stop: number): number {
    const buf = this.buf;
    const member = buf[value]!;
    if (member === 0x0a) {
      const text = value + 2;
      return text + buf[value + 1]! === stop && stop - text <= this.maxValueBytes ? text : NOT_SCALAR;
    }
    if (member === 0x10 || member === 0x18) {
      if (stop - value < 2 || stop - value > 6 || buf[stop - 1]! >= 0x80) return NOT_SCALAR;
      for (let i = value + 1; i < stop - 1; i++) if (buf[i]! < 0x80) return NOT_SCALAR;
      return NOT_STRING;
    }
    return member === 0x21 && stop - value === 9 ? NOT_STRING : NOT_SCALAR;
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
        pos = this.element(pos, stop, depth + 1, level + 1);
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
        pos = this.attribute(pos, stop, depth + 1, false);
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
        pos = this.attribute(pos, stop, depth + 1, false);
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
}
