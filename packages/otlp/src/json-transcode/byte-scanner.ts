/*
 * A JSON scanner over the bytes of a body already known to be valid UTF-8, for the byte-level
 * transcoder (fast-transcoder.ts). It reads only what real OTLP/JSON senders write and gives up
 * (throws FAST_PATH_BAIL) on anything else, so it never has to render an error: the caller falls
 * back to the JSON.parse path, which accepts or refuses the body with the decoder's own message.
 * Giving up is therefore always safe; accepting must only ever happen where JSON.parse accepts.
 */

/** Thrown when the byte-level path cannot take a body; never escapes the transcoder. */
export const FAST_PATH_BAIL = Object.freeze({ bail: true });

/** Thrown to give up on the body. */
export function bail(): never {
  throw FAST_PATH_BAIL;
}

/**
 * Deepest nesting of arrays and objects the scanner reads: well below the incremental parser's cap
 * (json-body.ts), so every body taken here is one that parser takes too. (A value read again where
 * the scan noted it counts from its object's depth less one or two: still far below that cap.)
 */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes in a string: 0 plain ASCII, 1 the quote, the backslash or a control character, 2 not ASCII. */
const STRING_CLASS = (() => {
  const t = new Uint8Array(256).fill(2, 0x80);
  for (let c = 0; c < 0x20; c++) t[c] = 1;
  t[QUOTE] = 1;
  t[BACKSLASH] = 1;
  return t;
})();

const WS = (() => {
  const t = new Uint8Array(256);
  for (const c of [0x20, 0x09, 0x0a, 0x0d]) t[c] = 1;
  return t;
})();

const KEY_SLOT_MASK = 0x3ff;

/** A key's slot in a KeyTable: from its length and its first and last bytes, no pass over it. */
const keySlot = (length: number, first: number, last: number): number => (length * 97 + first * 31 + last) & KEY_SLOT_MASK;

/** The keys one kind of object knows, found without making a string of a key. */
export class KeyTable {
  readonly slots = new Int16Array(KEY_SLOT_MASK + 1).fill(-1);
  /** Each name's bytes (the names are ASCII). */
  readonly bytes: readonly Uint8Array[];
  /** Each name as a member starts, `"name":`, to check a guess against. */
  readonly members: readonly Uint8Array[];
  /**
   * The key usually after each (by index; the last entry: the usual first key), in the order
   * senders write them; -1 for no guess. A right guess is one comparison instead of a lookup.
   */
  readonly next: Int8Array;

  /** `order`: the names in the order senders usually write them. */
  constructor(
    readonly names: readonly string[],
    order: readonly string[] = names,
  ) {
    this.bytes = names.map((name) => Buffer.from(name, 'latin1'));
    this.members = names.map((name) => Buffer.from(`"${name}":`, 'latin1'));
    this.next = new Int8Array(names.length + 1).fill(-1);
    let previous = names.length;
    for (const name of order) {
      this.next[previous] = names.indexOf(name);
      previous = names.indexOf(name);
    }
    this.bytes.forEach((b, index) => {
      const slot = keySlot(b.length, b[0]!, b[b.length - 1]!);
      // A collision would need a probe sequence; the tables are small and fixed, so it is simply refused.
      if (this.slots[slot] !== -1) throw new Error(`key table collision: ${names[index]!}`);
      this.slots[slot] = index;
    });
  }
}

const NO_KEYS = new KeyTable([]);

/** 10^0 to 10^22: every one an exact double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export class ByteScanner {
  pos = 0;
  /** Nesting of the arrays and objects open at `pos`. */
  depth = 0;
  /** The last string read: its content's bytes [strStart, strEnd). */
  strStart = 0;
  strEnd = 0;
  /** Whether the last string has an escape (its bytes are not its value). */
  strEscaped = false;
  /** Whether the last string's bytes are all ASCII. */
  strAscii = true;
  /** The last number read: its bytes [numStart, numEnd), and whether it is an integer (no fraction, no exponent). */
  numStart = 0;
  numEnd = 0;
  numInteger = true;

  constructor(readonly buf: Buffer) {}

  /** The next byte that is not whitespace (-1 at the end), not consumed. */
  peek(): number {
    const buf = this.buf;
    let p = this.pos;
    while (p < buf.length && WS[buf[p]!] === 1) p++;
    this.pos = p;
    return p < buf.length ? buf[p]! : -1;
  }

  /** Consumes byte `c` after any whitespace, or gives up. */
  expect(c: number): void {
    if (this.buf[this.pos] !== c && this.peek() !== c) bail();
    this.pos++;
  }

  /** Consumes `{` or `[`; true when the container is empty (its end consumed too). */
  open(c: 0x7b | 0x5b): boolean {
    this.expect(c);
    if (++this.depth > MAX_DEPTH) bail();
    const next = this.buf[this.pos]!;
    if (next === c + 2 || (WS[next] === 1 && this.peek() === c + 2)) {
      this.pos++;
      this.depth--;
      return true;
    }
    return false;
  }

  /** After a member or element: true for a comma (another follows), false for the end `close` (consumed). */
  more(close: 0x7d | 0x5d): boolean {
    let c = this.buf[this.pos]!;
    if (WS[c] === 1) c = this.peek();
    this.pos++;
    if (c === 0x2c) return true;
    if (c !== close) bail();
    this.depth--;
    return false;
  }

  /** Reads a string token (its bytes in strStart/strEnd). Escapes are checked when decoded (`text`). */
  string(): void {
    const buf = this.buf;
    let p = this.pos;
    if (buf[p] === QUOTE) p++;
    else {
      this.expect(QUOTE);
      p = this.pos;
    }
    const start = p;
    // The plain ASCII run first: most strings are one.
    let c = buf[p]!;
    while (STRING_CLASS[c] === 0) c = buf[++p]!;
    let escaped = false;
    let ascii = true;
    while (c !== QUOTE) {
      const k = STRING_CLASS[c];
      if (k === 2) ascii = false; // UTF-8, valid: the whole body was checked
      else if (k !== 0) {
        if (c !== BACKSLASH) bail(); // a control character, or the end of the body (c undefined)
        escaped = true;
        p++; // the escaped byte: an escaped quote is not the end
      }
      c = buf[++p]!;
    }
    this.strStart = start;
    this.strEnd = p;
    this.strEscaped = escaped;
    this.strAscii = ascii;
    this.pos = p + 1;
  }

  /** Notes the last string's token in `into` (3 numbers at `3 * k`), for `recall`. */
  keep(into: Int32Array, k: number): void {
    into[3 * k] = this.strStart;
    into[3 * k + 1] = this.strEnd;
    into[3 * k + 2] = (this.strEscaped ? 1 : 0) | (this.strAscii ? 2 : 0);
  }

  /** Makes the token noted at `k` the last string read; false when none was (-1). */
  recall(from: Int32Array, k: number): boolean {
    const start = from[3 * k]!;
    if (start < 0) return false;
    this.strStart = start;
    this.strEnd = from[3 * k + 1]!;
    this.strEscaped = (from[3 * k + 2]! & 1) !== 0;
    this.strAscii = (from[3 * k + 2]! & 2) !== 0;
    return true;
  }

  /** The value of the last string read. */
  text(): string {
    const { buf, strStart, strEnd } = this;
    if (!this.strEscaped) return this.strAscii ? buf.toString('latin1', strStart, strEnd) : buf.toString('utf8', strStart, strEnd);
    try {
      // The token alone, quotes included, is a JSON text: JSON.parse checks and decodes its escapes.
      return JSON.parse(buf.toString('utf8', strStart - 1, strEnd + 1)) as string;
    } catch {
      return bail();
    }
  }

  /**
   * Reads an object member's key and its colon; returns the key's index in `keys`, or -1. `after`:
   * the previous key's index (keys.names.length for the first), to try the usual next key first.
   */
  key(keys: KeyTable, after = -1): number {
    const buf = this.buf;
    let p = this.pos;
    const guess = after < 0 ? -1 : keys.next[after]!;
    if (guess >= 0) {
      const member = keys.members[guess]!;
      let i = 0;
      while (i < member.length && buf[p + i] === member[i]) i++;
      if (i === member.length) {
        this.pos = p + i;
        return guess;
      }
    }
    if (buf[p] === QUOTE) p++;
    else {
      this.expect(QUOTE);
      p = this.pos;
    }
    const start = p;
    let c = buf[p]!;
    while (STRING_CLASS[c] === 0) c = buf[++p]!;
    if (c !== QUOTE || p === start) {
      // Escaped, not ASCII or empty: read as any string (which refuses a control character).
      this.pos = start - 1;
      this.string();
      this.expect(0x3a);
      return keys.names.indexOf(this.text());
    }
    this.pos = p + 1;
    if (buf[p + 1] === 0x3a) this.pos++;
    else this.expect(0x3a);
    const n = p - start;
    const at = keys.slots[keySlot(n, buf[start]!, buf[p - 1]!)]!;
    if (at < 0) return -1;
    const name = keys.bytes[at]!;
    if (name.length !== n) return -1;
    for (let i = 0; i < n; i++) if (buf[start + i] !== name[i]) return -1;
    return at;
  }

  /** Reads a number token, checking JSON's grammar (numStart, numEnd, numInteger). */
  number(): void {
    const buf = this.buf;
    this.peek();
    const start = this.pos;
    let p = start;
    if (buf[p] === 0x2d) p++;
    if (buf[p] === 0x30) p++;
    else if (isDigit(buf[p] ?? 0)) while (isDigit(buf[p] ?? 0)) p++;
    else bail();
    let integer = true;
    if (buf[p] === 0x2e) {
      integer = false;
      p++;
      if (!isDigit(buf[p] ?? 0)) bail();
      while (isDigit(buf[p] ?? 0)) p++;
    }
    if (buf[p] === 0x65 || buf[p] === 0x45) {
      integer = false;
      p++;
      if (buf[p] === 0x2b || buf[p] === 0x2d) p++;
      if (!isDigit(buf[p] ?? 0)) bail();
      while (isDigit(buf[p] ?? 0)) p++;
    }
    this.numStart = start;
    this.numEnd = p;
    this.numInteger = integer;
    this.pos = p;
  }

  /**
   * The last number's value, as JSON.parse gives it. Up to 15 significant digits scaled by at most
   * 10^22 it is computed here, correctly rounded (both operands are exact doubles, and IEEE division
   * and multiplication round correctly); any other number by Number() of its text.
   */
  numberValue(): number {
    const { buf, numStart, numEnd } = this;
    let p = numStart;
    const negative = buf[p] === 0x2d;
    if (negative) p++;
    let m = 0;
    let digits = 0;
    let scale = 0;
    for (; p < numEnd; p++) {
      const c = buf[p]!;
      if (c === 0x2e) scale = p + 1;
      else if (c === 0x65 || c === 0x45) break;
      else {
        m = m * 10 + c - 0x30;
        digits++;
      }
    }
    // Fraction digits lower the exponent; an exponent (p at its `e`) raises it.
    let k = scale === 0 ? 0 : scale - p;
    if (p < numEnd) {
      let e = 0;
      let q = p + 1;
      const sign = buf[q] === 0x2d ? -1 : 1;
      if (buf[q] === 0x2d || buf[q] === 0x2b) q++;
      if (numEnd - q > 3) return Number(buf.toString('latin1', numStart, numEnd));
      for (; q < numEnd; q++) e = e * 10 + buf[q]! - 0x30;
      k += sign * e;
    }
    if (digits > 15 || k > 22 || k < -22) return Number(buf.toString('latin1', numStart, numEnd));
    const v = k < 0 ? m / POW10[-k]! : m * POW10[k]!;
    return negative ? -v : v;
  }

  /**
   * The last number as a non-negative integer of at most 15 digits (exact in a double), or -1 when
   * it is not one.
   */
  smallUint(): number {
    const { buf, numStart, numEnd } = this;
    if (!this.numInteger || numEnd - numStart > 15 || buf[numStart] === 0x2d) return -1;
    let v = 0;
    for (let i = numStart; i < numEnd; i++) v = v * 10 + buf[i]! - 0x30;
    return v;
  }

  /** Consumes the literal `word` (true, false, null), or gives up. */
  literal(word: string): void {
    this.peek();
    const n = word.length;
    for (let i = 0; i < n; i++) if (this.buf[this.pos + i] !== word.charCodeAt(i)) bail();
    this.pos += n;
  }

  /** Consumes `null` if it is next; true when it was. */
  null(): boolean {
    const c = this.buf[this.pos]!;
    if (c !== 0x6e && (WS[c] !== 1 || this.peek() !== 0x6e)) return false;
    this.literal('null');
    return true;
  }

  /** Skips any JSON value, checking its syntax. */
  skip(): void {
    const c = this.peek();
    if (c === QUOTE) this.string();
    else if (c === 0x7b) {
      if (this.open(0x7b)) return;
      do {
        this.key(NO_KEYS);
        this.skip();
      } while (this.more(0x7d));
    } else if (c === 0x5b) {
      if (this.open(0x5b)) return;
      do this.skip();
      while (this.more(0x5d));
    } else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else this.number();
    // A skipped string's escapes must be valid too.
    if (c === QUOTE && this.strEscaped) this.text();
  }

  /** Checks that only whitespace follows the top-level value. */
  end(): void {
    if (this.peek() !== -1) bail();
  }
}
