import type protobuf from 'protobufjs';
import type { AnyValue } from '@tracecheck/model';
import { OtlpDecodeError } from './errors.js';
import { longToBigInt, truncatedAt } from './proto-reader.js';

/*
 * Wire-format primitives for the hand-written decoder, on top of protobufjs's Reader: entering and
 * leaving length-delimited messages, skipping fields exactly as protobufjs's generated decoders do,
 * and fast paths for what OTLP sends most (ASCII strings, repeated attribute keys, ids, fixed64
 * times, small ints). Every read stays within reader.len, narrowed to the current message.
 */

/** Like protobufjs's stringVerify: fatal on invalid UTF-8, a BOM kept as a character. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Fields one span, resource or scope may have (everything in it: attributes, events, links, their
 * values). Real spans have hundreds; the decode limits keep at most about a million values in one.
 */
export const MAX_FIELDS_PER_MESSAGE = 2_000_000;

/** Slots of the string cache (a power of two): a request repeats a few dozen keys and names. */
const CACHE_SLOTS = 256;

export class WireReader {
  protected readonly view: DataView;
  protected readonly buf: Buffer;
  /** Longest string or bytes value kept, in bytes (DecodeLimits.maxValueBytes). */
  protected maxValueBytes = Infinity;
  /** Strings and bytes values cut to maxValueBytes so far. */
  protected truncatedValues = 0;
  /** Bytes of string and bytes values decoded so far (for the decode budget). */
  protected valueBytes = 0;
  /**
   * ASCII strings (attribute keys, names) seen in this request, by a cheap slot number (they repeat
   * span after span), with where their bytes are in the request: a string is found again by
   * comparing bytes with bytes.
   */
  private readonly cached: string[] = new Array<string>(CACHE_SLOTS).fill('');
  private readonly cachedAt = new Int32Array(CACHE_SLOTS);
  /** Message nesting depth, as protobufjs counts it (the request is 0), for skipping groups. */
  protected depth = 0;

  /** `r` must read a Buffer, as createReader's readers do. */
  constructor(protected readonly r: protobuf.Reader) {
    this.view = new DataView(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
    this.buf = r.buf as Buffer;
  }

  /** Fields read since the decoder last could pause (see `nextTag`). */
  protected fieldsSincePause = 0;

  /**
   * Reads a field's tag. Decoding pauses only between spans, so one span (or resource, or scope)
   * of millions of fields (a scalar repeated, unknown fields) would hold the caller for as long as
   * it takes: past MAX_FIELDS_PER_MESSAGE the request is refused instead.
   */
  protected nextTag(): number {
    if (++this.fieldsSincePause > MAX_FIELDS_PER_MESSAGE) {
      throw new OtlpDecodeError(`more than ${MAX_FIELDS_PER_MESSAGE} fields in one span, resource or scope`, { offset: this.r.pos });
    }
    return this.r.tag();
  }

  /** Enters a length-delimited field: narrows reader.len to its end, returns the outer len. */
  protected enter(): number {
    const r = this.r;
    const size = r.size();
    const end = r.pos + size;
    if (end > r.len) throw truncatedAt(r.pos);
    const outer = r.len;
    r.len = end;
    this.depth++;
    return outer;
  }

  protected leave(outer: number): void {
    this.r.len = outer;
    this.depth--;
  }

  /** Skips an unknown field, or a known one with an unexpected wire type, as protobufjs does. */
  protected skip(tag: number): void {
    this.r.skipType(tag & 7, this.depth, tag >>> 3);
  }

  /** Reads a length prefix and steps over the bytes it covers; returns their start. */
  protected lengthDelimited(): number {
    const r = this.r;
    const size = r.size();
    const start = r.pos;
    if (start + size > r.len) throw truncatedAt(start);
    r.pos = start + size;
    return start;
  }

  /**
   * A string field; same result and same failures as protobufjs's stringVerify, faster: attribute
   * keys and values are mostly ASCII, which Buffer's native latin1 decoding turns into flat strings.
   */
  protected str(): string {
    const start = this.lengthDelimited();
    return this.decodeString(start, this.cut(start, this.r.pos));
  }

  /** The end of a value of at most maxValueBytes starting at `start`, at a UTF-8 character boundary. */
  private cut(start: number, end: number): number {
    this.valueBytes += Math.min(end - start, this.maxValueBytes);
    if (end - start <= this.maxValueBytes) return end;
    this.truncatedValues++;
    let at = start + this.maxValueBytes;
    // Back off continuation bytes (10xxxxxx) so the cut does not split a character.
    while (at > start && (this.buf[at]! & 0xc0) === 0x80) at--;
    return at;
  }

  /** Decodes bytes already known to be within limits; throws on invalid UTF-8 like protobufjs. */
  protected decodeString(start: number, end: number): string {
    const buf = this.buf;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) return strictUtf8.decode(buf.subarray(start, end));
    }
    return buf.toString('latin1', start, end);
  }

  /**
   * An attribute key: the same few keys come back in every span, so an ASCII key already seen in
   * this request is reused instead of decoded and hashed again. The cache slot is picked from the
   * length and four bytes (cheap); a full comparison decides.
   */
  protected key(): string {
    const start = this.lengthDelimited();
    return this.cachedString(start, this.r.pos);
  }

  /** The string at bytes [start, end) as `key` reads it, through the same cache (names repeat too). */
  protected cachedString(start: number, end: number): string {
    const len = end - start;
    if (len === 0) return '';
    const buf = this.buf;
    // Run ids and the like differ in their last two bytes ("run-7", "run-17").
    const beforeLast = len > 1 ? buf[end - 2]! : 0;
    const slot = (len * 31 + buf[start]! * 7 + buf[start + (len >> 1)]! * 3 + beforeLast * 5 + buf[end - 1]!) & (CACHE_SLOTS - 1);
    const cached = this.cached[slot]!;
    if (cached.length === len && this.sameBytes(this.cachedAt[slot]!, start, len)) return cached;
    const key = this.decodeString(start, this.cut(start, end));
    // One UTF-16 unit per byte means ASCII, not cut: the string of those bytes alone, whatever the limits.
    if (key.length === len) {
      this.cached[slot] = key;
      this.cachedAt[slot] = start;
    }
    return key;
  }

  /** Whether the `len` bytes at `a` and at `b` are the same (four at a time). */
  private sameBytes(a: number, b: number, len: number): boolean {
    const view = this.view;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (view.getInt32(a + i) !== view.getInt32(b + i)) return false;
    for (; i < len; i++) if (this.buf[a + i] !== this.buf[b + i]) return false;
    return true;
  }

  /** A bytes field as lowercase hex (ids). */
  protected hex(): string {
    const start = this.lengthDelimited();
    return this.buf.toString('hex', start, this.r.pos);
  }

  /** A bytes field copied out, so a stored attribute does not pin the whole request buffer. */
  protected bytesCopy(): Uint8Array {
    const start = this.lengthDelimited();
    let end = this.r.pos;
    this.valueBytes += Math.min(end - start, this.maxValueBytes);
    if (end - start > this.maxValueBytes) {
      this.truncatedValues++;
      end = start + this.maxValueBytes;
    }
    const out = new Uint8Array(end - start);
    out.set(this.buf.subarray(start, end));
    return out;
  }

  /** Skips the rest of the current length-delimited message (its bytes are not looked at). */
  protected skipRest(): void {
    this.r.pos = this.r.len;
  }

  /** fixed64 (times), natively from the DataView. */
  protected fixed64(): bigint {
    const r = this.r;
    if (r.pos + 8 > r.len) throw truncatedAt(r.pos);
    const v = this.view.getBigUint64(r.pos, true);
    r.pos += 8;
    return v;
  }

  /**
   * An int AnyValue: one shared, frozen value for each of 0 to 65,535 (status codes, ports, counts,
   * amounts: most attribute ints), so reading one again and again allocates nothing.
   */
  protected intValue(): AnyValue {
    const r = this.r;
    const buf = r.buf;
    let pos = r.pos;
    let n = 0;
    for (let i = 0, scale = 1; i < 3 && pos < r.len; i++, scale *= 128) {
      const b = buf[pos++]!;
      n += (b & 0x7f) * scale;
      if (b >= 0x80) continue;
      if (n >= SHARED_INTS) break;
      r.pos = pos;
      return intAnyValue(n);
    }
    return { type: 'int', value: this.int64() };
  }

  /** A varint int64; values under 2^49 (most attribute ints) skip protobufjs's Long. */
  protected int64(): bigint {
    const r = this.r;
    const buf = r.buf;
    let pos = r.pos;
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 7 && pos < r.len; i++) {
      const b = buf[pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        r.pos = pos;
        return BigInt(n);
      }
      scale *= 128;
    }
    return longToBigInt(r.int64(), false);
  }
}
/** How many small int values are shared (see `intValue`). */
const SHARED_INTS = 65_536;
const sharedInts: (AnyValue | undefined)[] = [];

/** The int AnyValue of a non-negative safe integer `n`: one frozen value per small int, shared. */
export function intAnyValue(n: number): AnyValue {
  return n < SHARED_INTS ? (sharedInts[n] ??= Object.freeze({ type: 'int', value: BigInt(n) })) : { type: 'int', value: BigInt(n) };
}
