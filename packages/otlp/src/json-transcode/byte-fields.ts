import { MAX_VALUE_DEPTH } from '../enums.js';
import { JsonReader } from '../json-reader.js';
import { type BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, noLimitCounts } from '../limits.js';
import type { DecodeOptions } from '../slicing.js';
import { bail, ByteScanner, isDigit, KeyTable } from './byte-scanner.js';
import { OUTPUT_POOL, ProtoWriter } from './proto-writer.js';
import { writeUnescaped } from './unescape.js';

/*
 * The byte-level transcoder's fields and attribute values (fast-transcoder.ts has the messages that
 * hold them): each read from the scanner and written as JsonTranscoder writes it. The common forms
 * (plain numbers, decimal strings of up to 15 or 19 digits, strings copied as bytes) are read here;
 * rarer ones are handed to JsonReader as JSON.parse would give them, so its rules stay in one place.
 * Anything JsonReader refuses, or that would be dropped by a limit, gives up (see byte-scanner.ts).
 */

const KEY_VALUE = new KeyTable(['key', 'value']);
const ANY_VALUE = new KeyTable(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue']);
const LIST = new KeyTable(['values']);

const UINT32_MAX = 0xffff_ffff;
export const OBJECT = 0x7b;
export const OBJECT_END = 0x7d;
export const ARRAY = 0x5b;
export const ARRAY_END = 0x5d;
const QUOTE = 0x22;

export abstract class ByteFieldTranscoder {
  protected readonly s: ByteScanner;
  protected w: ProtoWriter;
  protected readonly j = new JsonReader();
  protected readonly limits: DecodeLimits;
  protected readonly counts = noLimitCounts();

  constructor(
    buf: Buffer,
    options: DecodeOptions,
    protected readonly meter: BudgetMeter,
    capacity: number,
  ) {
    this.s = new ByteScanner(buf);
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
    this.w = new ProtoWriter(capacity, OUTPUT_POOL);
  }

  /**
   * Reads the object at the scanner, noting in `at` where the value of each of `keys` starts (-1
   * when absent or null) and skipping the rest. A repeated key gives up (JSON.parse keeps the last).
   */
  protected fields(keys: KeyTable, at: Int32Array): void {
    const s = this.s;
    at.fill(-1);
    if (s.peek() !== OBJECT) bail();
    if (s.open(OBJECT)) return;
    let seen = 0;
    do {
      const k = s.key(keys);
      if (k < 0) {
        s.skip();
        continue;
      }
      if ((seen & (1 << k)) !== 0) bail();
      seen |= 1 << k;
      if (s.null()) continue;
      at[k] = s.pos;
      s.skip();
    } while (s.more(OBJECT_END));
  }

  /** The string at `pos` ('' when -1). */
  protected stringAt(pos: number): string {
    if (pos < 0) return '';
    this.s.pos = pos;
    this.s.string();
    return this.s.text();
  }

  /** The string field at `pos`, left out when absent or empty. */
  protected strAt(tag: number, pos: number): void {
    if (pos < 0) return;
    this.s.pos = pos;
    this.s.string();
    this.str(tag, true);
  }

  /** The string just read as a field (charged to the budget and cut to maxValueBytes as JsonTranscoder does). */
  protected str(tag: number, omitEmpty: boolean): void {
    const { s, w } = this;
    const n = s.strEnd - s.strStart;
    if (n <= this.limits.maxValueBytes) {
      if (!s.strEscaped && s.strAscii) {
        // ASCII without escapes: its bytes are its UTF-8 and its length its UTF-16 length.
        if (n === 0 && omitEmpty) return;
        this.meter.spend(Math.ceil((n * 2) / 3));
        w.stringBytes(tag, s.buf, s.strStart, s.strEnd);
        return;
      }
      // Never empty, and no longer as UTF-8 than as JSON text: nothing to cut.
      const start = w.begin(tag);
      const units = writeUnescaped(w, s.buf, s.strStart, s.strEnd);
      if (units < 0) bail();
      w.end(start);
      this.meter.spend(Math.ceil((units * 2) / 3));
      return;
    }
    const text = s.text();
    if (omitEmpty && text === '') return;
    this.meter.spend(Math.ceil((text.length * 2) / 3));
    if (w.string(tag, text, this.limits.maxValueBytes)) this.counts.truncatedValues++;
  }

  /** A uint32 at `pos` (0 when -1). */
  protected uint32At(pos: number): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.uint32();
  }

  /** A uint32 at the scanner: a plain number read here, any other form by JsonReader. */
  protected uint32(): number {
    const s = this.s;
    if (isDigit(s.peek())) {
      s.number();
      const v = s.smallUint();
      if (v >= 0 && v <= UINT32_MAX) return v;
      s.pos = s.numStart;
    }
    return this.j.uint32({ v: this.scalar() }, 'v');
  }

  /** An enum at `pos` (0 when -1). */
  protected enumAt(pos: number, names: ReadonlyMap<string, number>): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.enumValue(names);
  }

  /** An enum at the scanner: a non-negative number or a name read here, any other form by JsonReader. */
  protected enumValue(names: ReadonlyMap<string, number>): number {
    const s = this.s;
    const c = s.peek();
    if (c === QUOTE) {
      s.string();
      const byName = names.get(s.text());
      if (byName !== undefined) return byName;
      s.pos = s.strStart - 1;
    } else if (isDigit(c)) {
      s.number();
      const v = s.smallUint();
      if (v >= 0) return v;
      s.pos = s.numStart;
    }
    return this.j.enumValue({ v: this.scalar() }, 'v', names);
  }

  /** The scalar at the scanner as JSON.parse gives it, for JsonReader's rules on the rarer forms. */
  protected scalar(): unknown {
    const s = this.s;
    const c = s.peek();
    if (c === QUOTE) {
      s.string();
      return s.text();
    }
    if (c === 0x74 || c === 0x66) {
      s.literal(c === 0x74 ? 'true' : 'false');
      return c === 0x74;
    }
    s.number();
    return s.numberValue();
  }

  /** A fixed64 time at `pos` (nothing when -1). */
  protected timeAt(tag: number, pos: number): void {
    if (pos < 0) return;
    this.s.pos = pos;
    this.s.string();
    this.time(tag);
  }

  /** A fixed64 time from the string just read: up to 19 digits here, any other text by JsonReader. */
  protected time(tag: number): void {
    const s = this.s;
    if (!s.strEscaped && this.w.fixed64Digits(tag, s.buf, s.strStart, s.strEnd)) return;
    const text = s.text();
    if (!this.w.fixed64Digits(tag, text)) this.w.fixed64Field(tag, this.j.fixed64({ v: text }, 'v'));
  }

  /** A dropped*Count: the sender's plus what the limits dropped. */
  protected count(tag: number, n: number): void {
    this.w.uint32Field(tag, Math.min(n, UINT32_MAX));
  }

  /** The top-level attribute list at `pos` (-1: none); returns how many were dropped. */
  protected attributesAt(tag: number, pos: number): number {
    if (pos < 0) return 0;
    this.s.pos = pos;
    return this.attributes(tag);
  }

  /**
   * A top-level KeyValue list at the scanner: entries past maxAttributes are skipped and counted
   * (returned). An entry whose value is over a limit, which would be dropped, gives up.
   */
  protected attributes(tag: number): number {
    const s = this.s;
    if (s.open(ARRAY)) return 0;
    const max = this.limits.maxAttributes;
    let n = 0;
    let extra = 0;
    do {
      if (n < max) {
        this.entry(tag, 1);
        n++;
      } else {
        s.skip();
        extra++;
      }
    } while (s.more(ARRAY_END));
    this.counts.droppedAttributes += extra;
    this.meter.spend(n * ESTIMATE.entry);
    return extra;
  }

  /** A KeyValue at the scanner as field `tag`, its value at nesting `level`; the key is written first whatever the order. */
  protected entry(tag: number, level: number): void {
    const { s, w } = this;
    if (s.peek() !== OBJECT) bail();
    const start = w.begin(tag);
    let seen = 0;
    let k = 2;
    if (!s.open(OBJECT)) {
      do {
        k = s.key(KEY_VALUE, k);
        if (k < 0) {
          s.skip();
          continue;
        }
        if ((seen & (1 << k)) !== 0) bail();
        seen |= 1 << k;
        if (s.null()) continue;
        const at = w.pos;
        if (k === 0) {
          s.string();
          this.str(0x0a, true);
          // After the value: moved before it.
          if (at !== start) w.moveBefore(start, at);
        } else {
          if (s.peek() !== OBJECT) bail();
          const value = w.begin(0x12);
          this.anyValue(level);
          w.endOrOmit(value);
        }
      } while (s.more(OBJECT_END));
    }
    w.end(start);
  }

  /** An AnyValue object at the scanner: its one value field (`level` 1 at the top). */
  protected anyValue(level: number): void {
    const { s, w } = this;
    if (level > MAX_VALUE_DEPTH) bail();
    if (s.open(OBJECT)) return;
    let seen = 0;
    let found = false;
    let k = ANY_VALUE.names.length; // stringValue guessed first: the commonest
    do {
      k = s.key(ANY_VALUE, k);
      if (k < 0) {
        s.skip();
        continue;
      }
      if ((seen & (1 << k)) !== 0) bail();
      seen |= 1 << k;
      if (s.null()) continue;
      if (found) bail();
      found = true;
      switch (k) {
        case 0: // stringValue
          s.string();
          this.str(0x0a, false);
          break;
        case 1: {
          // boolValue
          const t = s.peek() === 0x74;
          s.literal(t ? 'true' : 'false');
          w.varint(0x10);
          w.varint(t ? 1 : 0);
          break;
        }
        case 2: // intValue
          w.varint(0x18);
          this.int();
          break;
        case 3: // doubleValue: a number, or a string JsonReader reads ("NaN", "1.5")
          if (s.peek() === QUOTE) {
            s.string();
            const v = this.j.double(s.text(), 'doubleValue');
            w.varint(0x21);
            w.double(v);
            break;
          }
          s.number();
          w.varint(0x21);
          w.double(s.numberValue());
          break;
        case 4: {
          // bytesValue
          s.string();
          const bytes = this.j.bytes(s.text(), 'bytesValue');
          const max = this.limits.maxValueBytes;
          if (bytes.length > max) this.counts.truncatedValues++;
          w.bytes(0x3a, bytes.length > max ? bytes.subarray(0, max) : bytes);
          break;
        }
        default:
          // arrayValue (5): AnyValues; kvlistValue (6): KeyValues.
          this.values(k === 5 ? 0x2a : 0x32, level);
      }
    } while (s.more(OBJECT_END));
  }

  /**
   * An intValue: an integer of at most 15 digits (a safe one) read here, any other number or string
   * as JSON.parse would give it to JsonReader.
   */
  protected int(): void {
    const s = this.s;
    const buf = s.buf;
    let from: number;
    let to: number;
    const text = s.peek() === QUOTE;
    if (text) {
      s.string();
      from = s.strStart;
      to = s.strEscaped ? from : s.strEnd;
    } else {
      s.number();
      from = s.numStart;
      to = s.numInteger ? s.numEnd : from;
    }
    const negative = buf[from] === 0x2d;
    const digits = to - from - (negative ? 1 : 0);
    if (digits >= 1 && digits <= 15) {
      let v = 0;
      for (let i = negative ? from + 1 : from; i < to; i++) {
        const d = buf[i]! - 0x30;
        if (d < 0 || d > 9) bail();
        v = v * 10 + d;
      }
      this.w.int64Safe(negative ? -v : v);
      return;
    }
    const x = text ? s.text() : s.numberValue();
    this.w.int64(this.j.int64(x, 'intValue'));
  }

  /**
   * An arrayValue (`tag` 0x2a: its `values` are AnyValues) or a kvlistValue (0x32: KeyValues) at
   * level `level`. More than maxArrayElements would drop the attribute: that gives up.
   */
  protected values(tag: number, level: number): void {
    const { s, w } = this;
    if (s.peek() !== OBJECT) bail();
    const start = w.begin(tag);
    const array = tag === 0x2a;
    let seen = false;
    if (!s.open(OBJECT)) {
      do {
        if (s.key(LIST) < 0) {
          s.skip();
          continue;
        }
        if (seen) bail();
        seen = true;
        if (s.null() || s.open(ARRAY)) continue;
        let n = 0;
        do {
          if (++n > this.limits.maxArrayElements) bail();
          if (array) {
            if (s.peek() !== OBJECT) bail();
            const el = w.begin(0x0a);
            this.anyValue(level + 1);
            w.end(el);
          } else this.entry(0x0a, level + 1);
        } while (s.more(ARRAY_END));
        this.meter.spend(n * (array ? ESTIMATE.value : ESTIMATE.entry));
      } while (s.more(OBJECT_END));
    }
    w.end(start);
  }
}
