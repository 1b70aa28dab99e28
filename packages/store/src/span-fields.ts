/*
 * Top-level fields of a skimmed Span message, found without decoding the rest: the trace state
 * (which the trace graph reads of orphan spans), and whether the span has events or links at all
 * (a check that reads them of every span then decodes only the spans that have some). Only for
 * spans the skim found simple (no decode limit reached), whose bytes it validated: the last field
 * wins, as in the full decoder, and a field of an unexpected wire type is skipped like an unknown
 * one. A group (wire types 3 and 4) makes them give up: the full decoder then reads the span.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ABSENT = -1;
const GIVE_UP = -2;

/** Where the last length-delimited field with `tag` has its length prefix; ABSENT or GIVE_UP. */
function lastField(bytes: Uint8Array, start: number, end: number, tag: number): number {
  let pos = start;
  let found = ABSENT;
  const varint = (): number => {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[pos++]!;
      // Tags and lengths fit 32 bits; the rest of a longer varint is only stepped over.
      if (shift < 28) n |= (b & 0x7f) << shift;
      else if (shift === 28) n += (b & 0x0f) * 2 ** 28;
      if (b < 0x80) return n >>> 0;
    }
  };
  while (pos < end) {
    const t = varint();
    const type = t & 7;
    if (type === 0) varint();
    else if (type === 1) pos += 8;
    else if (type === 5) pos += 4;
    else if (type !== 2) return GIVE_UP;
    else {
      if (t === tag) found = pos;
      const len = varint();
      pos += len;
    }
  }
  return found;
}

/** The span's trace state (field 3), or undefined when only the full decoder can say. */
export function traceStateAt(bytes: Uint8Array, start: number, end: number): string | undefined {
  let at = lastField(bytes, start, end, 0x1a);
  if (at === GIVE_UP) return undefined;
  if (at === ABSENT) return '';
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++]!;
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  const from = at;
  const to = at + len;
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return utf8.decode(bytes.subarray(from, to));
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, len).toString('latin1');
}

/** False when the span has no field `tag` (11: events, 13: links); undefined when only the full decoder can say. */
export function hasFieldAt(bytes: Uint8Array, start: number, end: number, tag: number): boolean | undefined {
  const at = lastField(bytes, start, end, tag);
  return at === GIVE_UP ? undefined : at !== ABSENT;
}
