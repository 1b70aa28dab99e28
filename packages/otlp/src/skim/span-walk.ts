/*
 * Walks over the top-level fields of a skimmed Span message, for what a store reads of a span
 * without decoding it: one attribute's KeyValue by its key, the trace state, whether it has events
 * or links. Only for spans the skim found simple (no decode limit reached), whose bytes it
 * validated, so every length is in range: the last occurrence of a field wins, as in the full
 * decoder, and a field of an unexpected wire type is skipped like an unknown one. A group (wire
 * types 3 and 4) makes a walk give up (GIVE_UP): only the wire reader steps over one.
 *
 * The cursor is module state, so a walk allocates nothing (a check walks every span of a run).
 */
import type { AnyValue } from '@tracecheck/model';
import { intAnyValue } from '../wire-reader.js';

export const ABSENT = -1;
export const GIVE_UP = -2;
const NOT_SIMPLE = -3;

let pos = 0;
/** Set by `lastAttribute` when it finds a KeyValue: its value's length prefix, or ABSENT / NOT_SIMPLE. */
let foundValue = ABSENT;

/** A varint at the cursor; tags and lengths fit 32 bits, the rest of a longer one is stepped over. */
function varint(buf: Uint8Array): number {
  let n = 0;
  for (let shift = 0; ; shift += 7) {
    const b = buf[pos++]!;
    if (shift < 28) n |= (b & 0x7f) << shift;
    else if (shift === 28) n += (b & 0x0f) * 2 ** 28;
    if (b < 0x80) return n >>> 0;
  }
}

/** Steps over a field's value of wire type `type`; false for a group. */
function skipValue(buf: Uint8Array, type: number): boolean {
  if (type === 0) varint(buf);
  else if (type === 1) pos += 8;
  else if (type === 5) pos += 4;
  else if (type === 2) {
    const len = varint(buf); // (not `pos += varint(buf)`: that would add to pos as it was before the length)
    pos += len;
  } else return false;
  return true;
}

/** Where the last length-delimited field with `tag` of the span at [start, end) has its length prefix. */
export function lastSpanField(buf: Uint8Array, start: number, end: number, tag: number): number {
  pos = start;
  let found = ABSENT;
  while (pos < end) {
    const t = varint(buf);
    if (t === tag) found = pos;
    if (!skipValue(buf, t & 7)) return GIVE_UP;
  }
  return found;
}

/** The length-delimited value whose length prefix is at `at`: its [start, end). */
export function lengthDelimitedAt(buf: Uint8Array, at: number): [number, number] {
  pos = at;
  const len = varint(buf);
  return [pos, pos + len];
}

export function sameBytes(buf: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * Where the last attribute KeyValue (field 9) of the span at [start, end) whose key is `encoded`
 * (UTF-8) has its length prefix; ABSENT or GIVE_UP. The last key field of a KeyValue is its key;
 * without one, its key is ''. A check reads an attribute of every span of a run, so this walk keeps
 * its cursor in a local and reads one-byte tags and lengths (nearly all of them) inline; longer
 * varints and other wire types go through `varint` and `skipValue`.
 */
export function lastAttribute(buf: Uint8Array, start: number, end: number, encoded: Uint8Array): number {
  const keyLength = encoded.length;
  let p = start;
  let found = ABSENT;
  while (p < end) {
    let tag = buf[p]!;
    if (tag < 0x80) p++;
    else {
      pos = p;
      tag = varint(buf);
      p = pos;
    }
    if (tag !== 0x4a) {
      if ((tag & 7) === 2) {
        // A length-delimited field other than an attribute (ids, trace state, name, events, status).
        const len = buf[p]!;
        if (len < 0x80) p += 1 + len;
        else {
          pos = p;
          p = varint(buf) + pos;
        }
        continue;
      }
      pos = p;
      if (!skipValue(buf, tag & 7)) return GIVE_UP;
      p = pos;
      continue;
    }
    const at = p;
    pos = p;
    const kvEnd = varint(buf) + pos;
    p = pos;
    let match = keyLength === 0;
    // Where its one value field has its length prefix; NOT_SIMPLE past a second one or another field.
    let value = ABSENT;
    while (p < kvEnd) {
      let t = buf[p]!;
      if (t < 0x80) p++;
      else {
        pos = p;
        t = varint(buf);
        p = pos;
      }
      if ((t & 7) !== 2) {
        value = NOT_SIMPLE;
        pos = p;
        if (!skipValue(buf, t & 7)) return GIVE_UP;
        p = pos;
        continue;
      }
      if (t === 0x12) value = value === ABSENT ? p : NOT_SIMPLE;
      else if (t !== 0x0a) value = NOT_SIMPLE;
      // The key, or (stepped over here too) the value.
      let len = buf[p]!;
      if (len < 0x80) p++;
      else {
        pos = p;
        len = varint(buf);
        p = pos;
      }
      if (t === 0x0a) match = len === keyLength && sameBytes(buf, p, encoded);
      p += len;
    }
    if (match) {
      found = at;
      foundValue = value;
    }
  }
  return found;
}


/**
 * The value of the attribute KeyValue `lastAttribute` found last, read here when it has the usual
 * shape: key fields and one value field holding one string (ASCII), bool, int (under 2^49) or
 * double field. Anything else (arrays, maps, bytes, other text, repeated value fields, which merge,
 * empty ones, other fields, negative or large ints) is undefined: the full decoder's reading
 * decides. Equal to that reading where it answers (the skim differential tests compare them).
 */
export function foundAttributeValue(buf: Uint8Array): AnyValue | undefined {
  if (foundValue < 0) return undefined;
  pos = foundValue;
  const end = varint(buf) + pos;
  if (pos >= end) return undefined;
  const tag = buf[pos++]!;
  switch (tag) {
    case 0x0a: {
      const length = varint(buf);
      const to = pos + length;
      if (to !== end) return undefined;
      for (let i = pos; i < to; i++) if (buf[i]! >= 0x80) return undefined;
      return { type: 'string', value: latin1(buf, pos, to) };
    }
    case 0x10: {
      const b = buf[pos]!;
      return pos + 1 === end && b < 0x80 ? { type: 'bool', value: b !== 0 } : undefined;
    }
    case 0x18: {
      let n = 0;
      for (let i = 0, scale = 1; i < 7; i++, scale *= 128) {
        const b = buf[pos++]!;
        n += (b & 0x7f) * scale;
        if (b < 0x80) return pos === end ? intAnyValue(n) : undefined;
      }
      return undefined;
    }
    case 0x21:
      return pos + 8 === end && Buffer.isBuffer(buf) ? { type: 'double', value: buf.readDoubleLE(pos) } : undefined;
  }
  return undefined;
}

/** Buffer's own latin1 decoding of a range, which its `toString('latin1', ...)` calls after checks. */
interface Latin1Slice {
  latin1Slice(start: number, end: number): string;
}
const hasLatin1Slice = typeof (Buffer.prototype as Partial<Latin1Slice>).latin1Slice === 'function';

/** Bytes [from, to) as a latin1 (here: ASCII) string. */
function latin1(buf: Uint8Array, from: number, to: number): string {
  if (!Buffer.isBuffer(buf)) return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
  return hasLatin1Slice ? (buf as unknown as Latin1Slice).latin1Slice(from, to) : buf.toString('latin1', from, to);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The trace state (field 3) of a simple span at [start, end); undefined when only the full decoder can say. */
export function spanTraceState(buf: Uint8Array, start: number, end: number): string | undefined {
  const at = lastSpanField(buf, start, end, 0x1a);
  if (at === GIVE_UP) return undefined;
  if (at === ABSENT) return '';
  const [from, to] = lengthDelimitedAt(buf, at);
  for (let i = from; i < to; i++) if (buf[i]! >= 0x80) return utf8.decode(buf.subarray(from, to));
  return latin1(buf, from, to);
}

/** Whether a simple span at [start, end) has a field `tag` (0x5a events, 0x6a links); undefined when only the full decoder can say. */
export function spanHasField(buf: Uint8Array, start: number, end: number, tag: number): boolean | undefined {
  const at = lastSpanField(buf, start, end, tag);
  return at === GIVE_UP ? undefined : at !== ABSENT;
}
