import protobuf from 'protobufjs';
import { OtlpDecodeError } from './errors.js';

/*
 * What both protobuf decoders (generic and hand-written) share: how the reader is made, how
 * protobufjs's errors become OtlpDecodeError, and int64 conversion. Sharing the reader matters: the
 * two decoders must read strings and bytes identically to produce identical spans.
 */

/** A protobufjs reader over the bytes, without copying them (Buffer's native UTF-8 decoding). */
export function createReader(bytes: Uint8Array): protobuf.Reader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return protobuf.Reader.create(buf);
}

/** The error for a read past the end of the message (or of an enclosing length-delimited field). */
export function truncatedAt(offset: number): OtlpDecodeError {
  return new OtlpDecodeError('truncated message', { offset });
}

/**
 * Runs a decode, turning what protobufjs throws for bad bytes into OtlpDecodeError. Other errors
 * (TypeError and the like) would be our bugs and are left alone so tests see them.
 */
export function withDecodeErrors<T>(reader: protobuf.Reader, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof OtlpDecodeError) throw e;
    if (e instanceof RangeError && /^index out of range/.test(e.message)) throw truncatedAt(reader.pos);
    // proto3 strings must be UTF-8; protobufjs checks with a fatal TextDecoder (as protoc's parsers do).
    if ((e as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new OtlpDecodeError('invalid UTF-8 in the string field ending', { offset: reader.pos });
    }
    if (e instanceof Error && e.constructor === Error) {
      // Some protobufjs messages already say where: "invalid wire type 7 at offset 12".
      const located = /^(.*) at offset (\d+)$/.exec(e.message);
      if (located) throw new OtlpDecodeError(located[1]!, { offset: Number(located[2]) });
      throw new OtlpDecodeError(e.message, { offset: reader.pos });
    }
    throw e;
  }
}

/** A protobufjs Long (or a plain number for small values) as a bigint, keeping all 64 bits. */
export function longToBigInt(v: protobuf.Long | number, unsigned: boolean): bigint {
  if (typeof v === 'number') return BigInt(v);
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}
