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

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(capacity: number) {
    // Not from Node's shared pool: the bytes outlive the request (the store keeps them).
    this.buf = Buffer.allocUnsafeSlow(Math.max(capacity, 256));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written, owned: copied out when the buffer has much room to spare. */
  finish(): Uint8Array {
    const used = this.buf.subarray(0, this.pos);
    if (this.buf.length - this.pos <= this.buf.length >>> 3) return used;
    const out = Buffer.allocUnsafeSlow(this.pos);
    used.copy(out);
    return out;
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
    if (n <= 42 && n * 3 <= max) {
      // At most 126 UTF-8 bytes: the length fits the one byte reserved for it.
      this.ensure(n * 3 + 2);
      const buf = this.buf;
      buf[this.pos] = tag;
      const start = this.pos + 2;
      // Short ASCII strings (keys, names, most values) are copied here: cheaper than a native call.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      const len = i === n ? n : i + buf.write(s.slice(i), start + i);
      buf[start - 1] = len;
      this.pos = start + len;
      return false;
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

  /** A bytes field (written even when empty). */
  bytes(tag: number, b: Uint8Array): void {
    this.varint(tag);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A bytes field from hex text already checked to be hex (ids); left out when empty. */
  hexField(tag: number, hex: string): void {
    if (hex === '') return;
    const len = hex.length >>> 1;
    this.varint(tag);
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(hex, this.pos, len, 'hex');
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
