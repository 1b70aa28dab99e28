/*
 * One top-level field of a skimmed Span message, read without decoding the rest: the trace state,
 * which the trace graph reads of every span that has a parent (a test's invented parent is named
 * there). Only for spans the skim found simple (no decode limit reached), whose bytes it validated:
 * the last `trace_state` (field 3, length-delimited) wins, as in the full decoder, and a field of
 * an unexpected wire type is skipped like an unknown one. A group (wire types 3 and 4) makes it give
 * up (undefined): the full decoder then reads the span.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function traceStateAt(bytes: Uint8Array, start: number, end: number): string | undefined {
  let pos = start;
  let from = -1;
  let to = -1;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      // Tags and lengths fit 32 bits; higher bytes of a longer varint only need stepping over.
      if (shift < 28) n |= (b & 0x7f) << shift;
      else if (shift === 28) n += (b & 0x0f) * 2 ** 28;
      shift += 7;
      if (b < 0x80) return n >>> 0;
    }
  };
  while (pos < end) {
    const tag = varint();
    switch (tag & 7) {
      case 0:
        varint();
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        if (tag === 0x1a) {
          from = pos;
          to = pos + len;
        }
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        return undefined;
    }
  }
  if (from < 0 || from === to) return '';
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return utf8.decode(bytes.subarray(from, to));
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}
