import { OtlpDecodeError } from './errors.js';

/*
 * Typed field access over a parsed OTLP/JSON request, following the proto3 JSON mapping: a missing
 * field or null means the default; 64-bit ints come as decimal strings or numbers; any other JSON
 * type than the field's is an error naming the field's path. The path is a stack of keys and
 * indexes, rendered only when something fails, so reading costs no string building.
 */

/** A parsed JSON object (what JSON.parse gives for `{...}`). */
export type JsonObject = { readonly [key: string]: unknown };

const UINT32_MAX = 0xffff_ffff;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const DIGITS = /^\d+$/;
const SIGNED_DIGITS = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const FLOAT_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for a JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a wrong value is shown in an error: its JSON type, or the value itself for short scalars. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return v.length <= 40 ? JSON.stringify(v) : `a ${v.length}-character string`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}

export class JsonReader {
  private readonly path: (string | number)[] = [];

  /** Descends into a field (a key) or an element (an index) for the error paths. */
  push(segment: string | number): void {
    this.path.push(segment);
  }

  pop(): void {
    this.path.pop();
  }

  /** The current path, plus one more key when given: `resourceSpans[0].scopeSpans[1].spans[2].name`. */
  where(key?: string): string {
    let s = '';
    for (const seg of this.path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
    if (key !== undefined) s += s === '' ? key : `.${key}`;
    return s;
  }

  fail(key: string | undefined, expected: string, got: unknown): OtlpDecodeError {
    return new OtlpDecodeError(`expected ${expected}, got ${describe(got)}`, { path: this.where(key) || 'request' });
  }

  /** A nested message: undefined when absent or null. */
  message(o: JsonObject, key: string): JsonObject | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (isJsonObject(v)) return v;
    throw this.fail(key, 'an object', v);
  }

  /** A repeated field: empty when absent or null. */
  array(o: JsonObject, key: string): readonly unknown[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    throw this.fail(key, 'an array', v);
  }

  /** Element `index` of a repeated message field (the path already ends with the field's key). */
  element(v: unknown, index: number): JsonObject {
    if (isJsonObject(v)) return v;
    this.push(index);
    const e = this.fail(undefined, 'an object', v);
    this.pop();
    throw e;
  }

  string(o: JsonObject, key: string): string {
    const v = o[key];
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return '';
    throw this.fail(key, 'a string', v);
  }

  bool(v: unknown, key: string): boolean {
    if (typeof v === 'boolean') return v;
    throw this.fail(key, 'a boolean', v);
  }

  /** uint32 and fixed32 fields (counts, flags): a number, or its decimal string. */
  uint32(o: JsonObject, key: string): number {
    const v = o[key];
    if (v === undefined || v === null) return 0;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= UINT32_MAX) return v;
    if (typeof v === 'string' && DIGITS.test(v) && Number(v) <= UINT32_MAX) return Number(v);
    throw this.fail(key, 'a uint32 as number or string', v);
  }

  /** An enum: its number, or (leniently; OTLP asks for numbers) its name. */
  enumValue(o: JsonObject, key: string, names: ReadonlyMap<string, number>): number {
    const v = o[key];
    if (v === undefined || v === null) return 0;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string') {
      const byName = names.get(v);
      if (byName !== undefined) return byName;
      if (SIGNED_DIGITS.test(v)) return Number(v);
    }
    throw this.fail(key, `an enum number or one of ${[...names.keys()].join(', ')}`, v);
  }

  /** fixed64 times: a non-negative integer as decimal string or number. */
  fixed64(o: JsonObject, key: string): bigint {
    const v = o[key];
    if (v === undefined || v === null) return 0n;
    let n: bigint | undefined;
    if (typeof v === 'string' && DIGITS.test(v)) n = BigInt(v);
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) n = BigInt(v);
    if (n !== undefined && n <= UINT64_MAX) return n;
    throw this.fail(key, 'a uint64 as string or number', v);
  }

  /** int64 (intValue): an integer as decimal string or number. */
  int64(v: unknown, key: string): bigint {
    let n: bigint | undefined;
    if (typeof v === 'string' && SIGNED_DIGITS.test(v)) n = BigInt(v);
    else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
    if (n !== undefined && n >= INT64_MIN && n <= INT64_MAX) return n;
    throw this.fail(key, 'an int64 as string or number', v);
  }

  /** double: a number, or a string: "NaN", "Infinity", "-Infinity" or a decimal. */
  double(v: unknown, key: string): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      if (FLOAT_TEXT.test(v)) return Number(v);
    }
    throw this.fail(key, 'a double as number or string', v);
  }

  /** bytes: base64 (standard or URL-safe alphabet), copied into a plain Uint8Array. */
  bytes(v: unknown, key: string): Uint8Array {
    if (typeof v === 'string' && BASE64.test(v)) {
      const decoded = Buffer.from(v, 'base64');
      const out = new Uint8Array(decoded.length);
      out.set(decoded);
      return out;
    }
    throw this.fail(key, 'base64 bytes', v);
  }
}
