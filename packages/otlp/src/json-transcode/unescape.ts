import type { ProtoWriter } from './proto-writer.js';

/*
 * A JSON string with escapes, written as UTF-8 straight from the body's bytes: senders escape the
 * quotes of JSON payloads held in attributes, so one such string per span is common, and decoding it
 * by JSON.parse (a string of it, then its value) costs more than the rest of the attribute.
 */

/** The byte each one-character escape stands for (by the character after the backslash); 0 for none. */
const SIMPLE = (() => {
  const t = new Uint8Array(128);
  for (const [c, b] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) {
    t[c.charCodeAt(0)] = b;
  }
  return t;
})();

/** The value of 4 hex digits at `src[at]`, or -1. */
function hex4(src: Uint8Array, at: number): number {
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const c = src[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Writes the content `src[from, to)` of a JSON string that has escapes (valid UTF-8 otherwise) as the
 * UTF-8 of its value: lone surrogates as U+FFFD, as any UTF-8 encoding of a JS string writes them.
 * Returns the value's length in UTF-16 units, or -1 (nothing written) for an escape JSON does not
 * allow.
 */
export function writeUnescaped(w: ProtoWriter, src: Uint8Array, from: number, to: number): number {
  const start = w.pos;
  // At most as many bytes as the text: every escape is longer than what it writes.
  w.ensure(to - from);
  const buf = w.buf;
  let p = start;
  let units = 0;
  let i = from;
  while (i < to) {
    const c = src[i]!;
    if (c !== 0x5c) {
      buf[p++] = c;
      // A UTF-8 lead byte starts a character: one UTF-16 unit, two for a 4-byte one.
      if (c < 0x80 || c >= 0xc0) units += c >= 0xf0 ? 2 : 1;
      i++;
      continue;
    }
    const e = src[i + 1]!;
    if (e !== 0x75) {
      const b = e < 0x80 ? SIMPLE[e]! : 0;
      if (b === 0) return -1;
      buf[p++] = b;
      units++;
      i += 2;
      continue;
    }
    let u = hex4(src, i + 2);
    if (u < 0) return -1;
    i += 6;
    units++;
    if (u >= 0xd800 && u <= 0xdbff && src[i] === 0x5c && src[i + 1] === 0x75) {
      const low = hex4(src, i + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
        units++;
      }
    }
    if (u >= 0xd800 && u <= 0xdfff) u = 0xfffd; // a lone surrogate
    if (u < 0x80) buf[p++] = u;
    else if (u < 0x800) {
      buf[p++] = 0xc0 | (u >> 6);
      buf[p++] = 0x80 | (u & 0x3f);
    } else if (u < 0x10000) {
      buf[p++] = 0xe0 | (u >> 12);
      buf[p++] = 0x80 | ((u >> 6) & 0x3f);
      buf[p++] = 0x80 | (u & 0x3f);
    } else {
      buf[p++] = 0xf0 | (u >> 18);
      buf[p++] = 0x80 | ((u >> 12) & 0x3f);
      buf[p++] = 0x80 | ((u >> 6) & 0x3f);
      buf[p++] = 0x80 | (u & 0x3f);
    }
  }
  w.pos = p;
  return units;
}
