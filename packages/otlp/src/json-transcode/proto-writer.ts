import { BufferPool } from '../buffer-pool.js';
import { utf8CutEnd } from '../limits.js';

/*
 * Protobuf wire format written straight into one growing Buffer. A nested message's length is not
 * known until it ends, so `begin` reserves one byte for it (most OTLP messages, attributes and their
 * values, are shorter than 128 bytes) and `end` moves the body right in the rare longer case: the
 * output stays canonical (minimal varints) without a sizing pass over the input.
 */

/** Bytes of the varint of a non-negative number below 2^35. */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x20_0000 ? 3 : n < 0x1000_0000 ? 4 : 5;
}

/** Strings up to this long are copied by hand when ASCII (see `string`). */
const ASCII_COPY_MAX = 1024;

/** Hex digit values by UTF-16 code unit, either case; 16 for any other character. */
const HEX_VALUE = (() => {
  const t = new Uint8Array(0x1_0000).fill(16);
  for (let d = 0; d < 16; d++) {
    t['0123456789abcdef'.charCodeAt(d)] = d;
    t['0123456789ABCDEF'.charCodeAt(d)] = d;
  }
  return t;
})();

const EMPTY = Buffer.alloc(0);

/** Text as a JS string, or as ASCII bytes (read in place from a request body). */
type Text = string | Uint8Array;

/** The character code at `i` of `s`. */
const codeAt = (s: Text, i: number): number => (typeof s === 'string' ? s.charCodeAt(i) : s[i]!);

/** The value of decimal digits s[from, to) (at most 15), or -1 when one is not a digit. */
function digitsValue(s: Text, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = codeAt(s, i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Where transcoders write: the output is copied out at the end, so the buffer written into is
 * garbage right after and is reused by the next request (4 kept, of at most 2 MiB each).
 */
export const OUTPUT_POOL = new BufferPool(4, 2 << 20);
/** The small per-span scratch writers' buffers (12 kept, of at most 64 KiB each). */
export const SCRATCH_POOL = new BufferPool(12, 64 << 10);

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  /**
   * A writer with room for `capacity` bytes to start with. With a `pool`, its buffers are taken from
   * it and given back by `finish` (which then copies the bytes out) or `release`; without one, its
   * buffers are new and `finish` hands out the one written into.
   */
  constructor(
    capacity: number,
    private readonly pool?: BufferPool,
  ) {
    // Not from Node's shared pool: the bytes may outlive the request (the store keeps them).
    this.buf = this.allocate(Math.max(capacity, 256));
  }

  private allocate(bytes: number): Buffer {
    return this.pool === undefined ? Buffer.allocUnsafeSlow(bytes) : Buffer.from(this.pool.take(bytes, false));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = this.allocate(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.pool?.give(this.buf.buffer);
    this.buf = next;
  }

  /**
   * The bytes written, owned, in a buffer of their own: copied out when the writer's buffer is
   * pooled (and then given back) or has much room to spare. The writer is not written to after.
   */
  finish(): Uint8Array {
    const used = this.buf.subarray(0, this.pos);
    if (this.pool === undefined && this.buf.length - this.pos <= this.buf.length >>> 3) return used;
    const out = Buffer.allocUnsafeSlow(this.pos);
    used.copy(out);
    this.release();
    return out;
  }

  /** Gives a pooled writer's buffer back; the writer is not written to after. */
  release(): void {
    this.pool?.give(this.buf.buffer);
    this.buf = EMPTY;
    this.pos = 0;
  }

  /** A varint of a non-negative integer below 2^53 (tags, lengths, counts, enums). */
  varint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[p++] = n;
    this.pos = p;
  }

  /** A uint32 field, left out when 0 (the proto3 default). */
  uint32Field(tag: number, n: number): void {
    if (n === 0) return;
    this.varint(tag);
    this.varint(n);
  }

  /** An int64 as protobuf encodes it: two's complement in 64 bits, so a negative one takes 10 bytes. */
  int64(v: bigint): void {
    if (v >= 0n && v <= 0x1f_ffff_ffff_ffffn) {
      this.varint(Number(v));
      return;
    }
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  fixed32Field(tag: number, n: number): void {
    if (n === 0) return;
    this.varint(tag);
    this.ensure(4);
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4;
  }

  fixed64Field(tag: number, v: bigint): void {
    if (v === 0n) return;
    this.ensure(9);
    this.buf[this.pos++] = tag;
    this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /**
   * A string field (written even when empty: a oneof member must be), cut to at most `max` UTF-8
   * bytes at a character boundary; true when it was cut. Lone surrogates become U+FFFD, as in any
   * UTF-8 encoding.
   */
  string(tag: number, s: string, max: number): boolean {
    const n = s.length;
    if (n <= ASCII_COPY_MAX && n <= max) {
      // Most strings (keys, names, values) are short ASCII: copied here, which beats a native call;
      // as ASCII, their length in bytes is known before they are written.
      const from = this.pos;
      this.ensure(n + 4);
      const buf = this.buf;
      let start = from;
      buf[start++] = tag;
      if (n < 0x80) buf[start++] = n;
      else {
        buf[start++] = (n & 0x7f) | 0x80;
        buf[start++] = n >>> 7;
      }
      let i = 0;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i++] = c;
      }
      if (i === n) {
        this.pos = start + n;
        return false;
      }
      this.pos = from;
    }
    const len = Buffer.byteLength(s);
    if (len <= max) {
      this.varint(tag);
      this.varint(len);
      this.ensure(len);
      this.pos += this.buf.write(s, this.pos, len);
      return false;
    }
    const bytes = Buffer.from(s);
    this.bytes(tag, bytes.subarray(0, utf8CutEnd(bytes, 0, max)));
    return true;
  }

  /** A string field (written even when empty; `tag` one byte) of UTF-8 bytes `src[from, to)`, copied as they are. */
  stringBytes(tag: number, src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n >= 0x80) {
      this.varint(tag);
      this.varint(n);
      this.ensure(n);
      this.buf.set(src.subarray(from, to), this.pos);
      this.pos += n;
      return;
    }
    // Short ones (most keys and values) by hand: a native copy costs more than the loop.
    this.ensure(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = tag;
    buf[p++] = n;
    for (let i = from; i < to; i++) buf[p++] = src[i]!;
    this.pos = p;
  }

  /** Appends what `other` wrote. */
  append(other: ProtoWriter): void {
    const n = other.pos;
    if (n === 0) return;
    this.ensure(n);
    // A plain view: a Buffer's subarray costs more to make than the copy of a span's attributes.
    this.buf.set(new Uint8Array(other.buf.buffer, other.buf.byteOffset, n), this.pos);
    this.pos += n;
  }

  /** Moves the bytes from `mid` to the end before those from `from` (fields written late that belong first). */
  moveBefore(from: number, mid: number): void {
    if (mid === this.pos || mid === from) return;
    const tail = Buffer.from(this.buf.subarray(mid, this.pos));
    this.buf.copyWithin(from + tail.length, from, mid);
    tail.copy(this.buf, from);
  }

  /** A bytes field (written even when empty). */
  bytes(tag: number, b: Uint8Array): void {
    this.varint(tag);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * A bytes field from hex text (ids), `hex[from, to)`, left out when empty; false, with nothing
   * written, when the text is not hex bytes. Decoded here: ids are short, and a native call costs more.
   */
  hexField(tag: number, hex: Text, from = 0, to = hex.length): boolean {
    const n = to - from;
    if (n === 0) return true;
    if ((n & 1) === 1) return false;
    const start = this.pos;
    this.varint(tag);
    this.varint(n >>> 1);
    this.ensure(n >>> 1);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i += 2) {
      const hi = HEX_VALUE[codeAt(hex, i)]!;
      const lo = HEX_VALUE[codeAt(hex, i + 1)]!;
      if ((hi | lo) > 15) {
        this.pos = start;
        return false;
      }
      buf[p++] = (hi << 4) | lo;
    }
    this.pos = p;
    return true;
  }

  /**
   * A fixed64 field from decimal digits `s[from, to)`, left out when 0; false, with nothing written,
   * unless they are 1 to 19 digits (below 2^64 for sure): the caller reads other forms the slow way.
   */
  fixed64Digits(tag: number, s: Text, from = 0, to = s.length): boolean {
    const n = to - from;
    if (n === 0 || n > 19) return false;
    // Up to 15 digits are exact in a double; longer ones are split at 10^9: high * 10^9 + low.
    const split = n <= 15 ? n : n - 9;
    const high = digitsValue(s, from, from + split);
    const low = split === n ? 0 : digitsValue(s, from + split, to);
    if (high < 0 || low < 0) return false;
    let lo: number;
    let hi: number;
    if (split === n) {
      hi = Math.floor(high / 0x1_0000_0000);
      lo = high - hi * 0x1_0000_0000;
    } else {
      // high < 10^10: high * 10^9 = a * 10^9 * 2^16 + b * 10^9, every partial product exact.
      const aHigh = Math.floor(high / 0x1_0000);
      const a = aHigh * 1e9;
      const b = (high - aHigh * 0x1_0000) * 1e9 + low;
      const aTop = Math.floor(a / 0x1_0000);
      const bTop = Math.floor(b / 0x1_0000_0000);
      const sum = (a - aTop * 0x1_0000) * 0x1_0000 + (b - bTop * 0x1_0000_0000);
      const carry = sum >= 0x1_0000_0000 ? 1 : 0;
      lo = sum - carry * 0x1_0000_0000;
      hi = aTop + bTop + carry;
    }
    if (lo === 0 && hi === 0) return true;
    this.ensure(9);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = tag;
    buf[p + 1] = lo;
    buf[p + 2] = lo >>> 8;
    buf[p + 3] = lo >>> 16;
    buf[p + 4] = lo >>> 24;
    buf[p + 5] = hi;
    buf[p + 6] = hi >>> 8;
    buf[p + 7] = hi >>> 16;
    buf[p + 8] = hi >>> 24;
    this.pos = p + 9;
    return true;
  }

  /**
   * An int64 varint from a safe integer: two's complement in 64 bits, so a negative one takes 10
   * bytes (as protobuf writes it).
   */
  int64Safe(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    this.ensure(10);
    const buf = this.buf;
    let hi = Math.floor(v / 0x1_0000_0000) >>> 0;
    let lo = v >>> 0;
    let p = this.pos;
    // 7 bits at a time across the two words, as protobufjs's LongBits does.
    while (hi !== 0 || lo >= 0x80) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  /** Starts a length-delimited field; returns where its body starts, for `end`. */
  begin(tag: number): number {
    this.ensure(2);
    this.buf[this.pos] = tag;
    this.pos += 2;
    return this.pos;
  }

  /** Ends the field `begin` started, writing its length. */
  end(start: number): void {
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[start - 1] = len;
      return;
    }
    const extra = varintSize(len) - 1;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(start + extra, start, this.pos);
    let p = start - 1;
    let n = len;
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[p] = n;
    this.pos += extra;
  }

  /** Ends the field `begin` started; when its body is empty, takes back its tag too. */
  endOrOmit(start: number, tagBytes = 1): void {
    if (this.pos === start) this.pos = start - 1 - tagBytes;
    else this.end(start);
  }
}
