import { isUtf8 } from 'node:buffer';
import { OtlpDecodeError } from './errors.js';
import { type BudgetMeter, ESTIMATE } from './limits.js';

/*
 * A JSON parser that runs in steps (so a 64 MiB body does not hold the event loop: JSON.parse
 * cannot be paused) and bounds what it builds: an array is kept to `maxElements` elements and the
 * rest are read (for syntax) but never built, their number remembered (`discardedOf`); what is built
 * is charged to a memory budget; nesting is capped. It gives the same values as JSON.parse for every
 * input JSON.parse accepts (objects have no prototype, so "__proto__" is an ordinary key), and fails
 * where JSON.parse fails.
 */

/** What the parser bounds. */
export interface IncrementalJsonOptions {
  /** Elements kept per array, except arrays that are the value of a key in `uncappedKeys`. */
  readonly maxElements: number;
  /** Keys whose arrays are kept whole (the request's own lists of resourceSpans, scopeSpans, spans). */
  readonly uncappedKeys: ReadonlySet<string>;
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  readonly meter: BudgetMeter;
}

type JsonContainer = unknown[] | Record<string, unknown>;

interface Frame {
  readonly array: boolean;
  /** null while discarding (an element past the cap, or inside one). */
  readonly value: JsonContainer | null;
  /** Elements kept before the rest are discarded. */
  readonly cap: number;
  count: number;
  discarded: number;
  key: string;
  /** 0 expects the first element or the end, 1 a comma or the end, 2 an element (after a comma), 3 a key's colon, 4 a key's value. */
  state: 0 | 1 | 2 | 3 | 4;
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

export class IncrementalJson {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private result: unknown;
  private finished = false;
  private readonly discarded = new WeakMap<object, number>();

  constructor(
    private readonly buf: Buffer,
    private readonly options: IncrementalJsonOptions,
  ) {
    if (!isUtf8(buf)) throw new OtlpDecodeError('request body is not valid UTF-8');
  }

  /** Elements of `array` read but not kept (0 when none were). */
  discardedOf(array: readonly unknown[]): number {
    return this.discarded.get(array) ?? 0;
  }

  /** The parsed value, once `step` returned true. */
  get value(): unknown {
    return this.result;
  }

  /** Parses about `tokens` tokens; true when the whole text has been parsed. */
  step(tokens: number): boolean {
    const b = this.buf;
    for (let n = 0; n < tokens; n++) {
      let p = this.pos;
      while (p < b.length && WS[b[p]!] === 1) p++;
      this.pos = p;
      if (this.finished) {
        if (p < b.length) throw this.fail('unexpected data after the JSON value');
        return true;
      }
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) {
        this.value1(undefined);
        continue;
      }
      const c = b[p];
      if (c === undefined) throw this.fail('unexpected end of JSON input');
      if (top.array) {
        if (top.state === 1) {
          if (c === 0x2c) {
            top.state = 2;
            this.pos++;
          } else if (c === 0x5d) this.close();
          else throw this.fail("expected ',' or ']'");
        } else if (top.state === 0 && c === 0x5d) this.close();
        else this.value1(top);
      } else if (top.state === 3) {
        if (c !== 0x3a) throw this.fail("expected ':'");
        this.pos++;
        top.state = 4;
      } else if (top.state === 4) this.value1(top);
      else if (top.state === 1) {
        if (c === 0x2c) {
          top.state = 2;
          this.pos++;
        } else if (c === 0x7d) this.close();
        else throw this.fail("expected ',' or '}'");
      } else if (top.state === 0 && c === 0x7d) this.close();
      else {
        if (c !== 0x22) throw this.fail('expected a string key');
        top.key = this.string(top.value !== null) ?? '';
        top.state = 3;
      }
    }
    return false;
  }

  private fail(what: string): OtlpDecodeError {
    return new OtlpDecodeError(`invalid JSON: ${what} at position ${this.pos}`);
  }

  /** Whether a value read now into `parent` is kept. */
  private keeps(parent: Frame | undefined): boolean {
    if (parent === undefined) return true;
    if (parent.value === null) return false;
    return !parent.array || parent.count < parent.cap;
  }

  /** Reads one value into `parent` (or as the result). */
  private value1(parent: Frame | undefined): void {
    const b = this.buf;
    const c = b[this.pos];
    const keep = this.keeps(parent);
    if (c === 0x7b || c === 0x5b) {
      if (this.stack.length >= this.options.maxDepth) throw this.fail(`nested deeper than ${this.options.maxDepth} levels`);
      this.pos++;
      const array = c === 0x5b;
      const value: JsonContainer | null = keep ? (array ? [] : (Object.create(null) as Record<string, unknown>)) : null;
      const key = parent !== undefined && !parent.array ? parent.key : '';
      const cap = array && !this.options.uncappedKeys.has(key) ? this.options.maxElements : Infinity;
      if (keep) this.options.meter.spend(ESTIMATE.value);
      // Attached now, filled in place; a parent's count is updated when the child closes.
      if (value !== null) this.attach(parent, value);
      else if (parent !== undefined) this.skipped(parent);
      this.stack.push({ array, value, cap, count: 0, discarded: 0, key: '', state: 0 });
      return;
    }
    let v: unknown;
    if (c === 0x22) v = this.string(keep);
    else if (c === 0x74 && this.word('true')) v = true;
    else if (c === 0x66 && this.word('false')) v = false;
    else if (c === 0x6e && this.word('null')) v = null;
    else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) v = this.number();
    else throw this.fail(c === undefined ? 'unexpected end of JSON input' : `unexpected character ${JSON.stringify(String.fromCharCode(c))}`);
    if (keep) {
      this.options.meter.spend(ESTIMATE.value);
      this.attach(parent, v);
    } else if (parent !== undefined) this.skipped(parent);
  }

  private attach(parent: Frame | undefined, v: unknown): void {
    if (parent === undefined) {
      this.result = v;
      if (!(typeof v === 'object' && v !== null)) this.finished = true;
      return;
    }
    if (parent.array) {
      (parent.value as unknown[]).push(v);
      parent.count++;
    } else (parent.value as Record<string, unknown>)[parent.key] = v;
    parent.state = 1;
  }

  private skipped(parent: Frame): void {
    if (parent.array && parent.value !== null) parent.discarded++;
    parent.state = 1;
  }

  private close(): void {
    this.pos++;
    const frame = this.stack.pop()!;
    if (frame.state === 2) {
      this.pos--;
      throw this.fail('unexpected end of a list after a comma');
    }
    if (frame.array && frame.discarded > 0 && frame.value !== null) this.discarded.set(frame.value, frame.discarded);
    if (this.stack.length === 0) this.finished = true;
  }

  private word(w: string): boolean {
    for (let i = 0; i < w.length; i++) if (this.buf[this.pos + i] !== w.charCodeAt(i)) return false;
    this.pos += w.length;
    return true;
  }

  private number(): number {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    const digits = (): number => {
      const from = p;
      while (p < b.length && b[p]! >= 0x30 && b[p]! <= 0x39) p++;
      return p - from;
    };
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (digits() === 0) throw this.fail('invalid number');
    if (b[p] === 0x2e) {
      p++;
      if (digits() === 0) throw this.fail('invalid number');
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (digits() === 0) throw this.fail('invalid number');
    }
    this.pos = p;
    return Number(b.toString('latin1', start, p));
  }

  /** A string at pos (the opening quote); undefined when not kept (read for syntax only). */
  private string(keep: boolean): string | undefined {
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    let escaped = false;
    let ascii = true;
    for (;;) {
      const c = b[p];
      if (c === undefined) {
        this.pos = p;
        throw this.fail('unterminated string');
      }
      if (c === 0x22) break;
      if (c < 0x20) {
        this.pos = p;
        throw this.fail('control character in string');
      }
      if (c === 0x5c) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c >= 0x80) ascii = false;
      p++;
    }
    this.pos = p + 1;
    if (!keep) {
      if (escaped) this.checkEscapes(start - 1, p + 1);
      return undefined;
    }
    this.options.meter.spend(Math.ceil(((p - start) * 2) / 3));
    if (escaped) {
      try {
        return JSON.parse(b.toString('utf8', start - 1, p + 1)) as string;
      } catch {
        this.pos = start - 1;
        throw this.fail('invalid escape in string');
      }
    }
    return b.toString(ascii ? 'latin1' : 'utf8', start, p);
  }

  private checkEscapes(from: number, to: number): void {
    try {
      JSON.parse(this.buf.toString('utf8', from, to));
    } catch {
      this.pos = from;
      throw this.fail('invalid escape in string');
    }
  }
}
