import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import { OtlpDecodeError } from '../errors.js';
import { truncatedAt } from '../proto-reader.js';

/*
 * The wire reads of the skim's span pass (SpanScan). Positions are locals of the pass, not the
 * protobufjs Reader's: tags, lengths and small varints of one or two bytes are read here, and anything
 * else (a longer varint, one near the end of its message, a skipped field) is handed to the Reader at
 * the same position, so the rules of a rare case are protobufjs's own, not a copy of them.
 *
 * Each read is at `pos` within a message ending at `end`, as the Reader would read with pos and len
 * there; a value is returned and its end left in `at`, a length-delimited field's end is returned and
 * its start left in `at`. The common case is a few lines (so it is inlined), the rest a method of its
 * own.
 */

/** Thrown by the pass when the span needs the full decoder. */
export const COMPLEX = Symbol('complex span');

export class ScanReads {
  /** Where the last read ends (reads that return a value), or where its bytes start (lengthDelimited). */
  protected at = 0;
  /** The span's strings, [start, end) pairs, for `checkStrings`. */
  private strings = new Int32Array(64);
  private stringInts = 0;

  /** `view` is a DataView of `buf`, both the Reader's bytes. */
  constructor(
    private readonly r: protobuf.Reader,
    protected readonly buf: Uint8Array,
    protected readonly view: DataView,
    protected readonly maxValueBytes: number,
  ) {}

  /** Reader.tag(). */
  protected tag(pos: number, end: number): number {
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
  protected uint32(pos: number, end: number): number {
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
  protected lengthDelimited(pos: number, end: number): number {
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
  protected string(pos: number, end: number): number {
    const stop = this.lengthDelimited(pos, end);
    if (stop - this.at > this.maxValueBytes) throw COMPLEX;
    this.noteString(this.at, stop, this.at);
    return stop;
  }

  /**
   * Notes string bytes [start, end) for checkStrings. When bytes [asciiFrom, start) are known to be
   * ASCII (tags and lengths the caller read) and the last string noted ends there, it is extended
   * instead: strings joined by ASCII bytes are valid UTF-8 exactly when each is, and one long range is
   * tested faster than many short ones.
   */
  protected noteString(start: number, end: number, asciiFrom: number): void {
    const n = this.stringInts;
    if (n > 0 && this.strings[n - 1]! >= asciiFrom) {
      this.strings[n - 1] = end;
      return;
    }
    if (n === this.strings.length) this.growStrings();
    this.strings[n] = start;
    this.strings[n + 1] = end;
    this.stringInts = n + 2;
  }

  /** Forgets the strings noted (a new span begins). */
  protected clearStrings(): void {
    this.stringInts = 0;
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
  protected checkStrings(): void {
    const strings = this.strings;
    const view = this.view;
    const buf = this.buf;
    let bits = 0;
    for (let k = 0; k < this.stringInts; k += 2) {
      const start = strings[k]!;
      const end = strings[k + 1]!;
      if (end - start >= 4) {
        let i = start;
        for (; i + 8 < end; i += 8) bits |= view.getInt32(i) | view.getInt32(i + 4);
        if (i + 4 < end) bits |= view.getInt32(i);
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
  protected fixed32(pos: number, end: number): number {
    if (pos + 4 > end) throw truncatedAt(pos);
    return this.view.getUint32(pos, true);
  }

  /** A fixed64 or double, stepped over; returns its end. */
  protected fixed64(pos: number, end: number): number {
    if (pos + 8 > end) throw truncatedAt(pos);
    return pos + 8;
  }

  /** WireReader.int64(), stepped over: its fast path here, and protobufjs's reading past it. */
  protected int64(pos: number, end: number): number {
    const buf = this.buf;
    for (let i = 0, p = pos; i < 7 && p < end; i++) if (buf[p++]! < 0x80) return p;
    const r = this.reader(pos, end);
    r.int64();
    return r.pos;
  }

  /** Skips an unknown field (or a known one with an unexpected wire type) as WireReader.skip does. */
  protected skip(tag: number, pos: number, end: number, depth: number): number {
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
