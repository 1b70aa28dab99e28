import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes } from '@tracecheck/model';
import { MAX_VALUE_DEPTH } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { JsonReader, isJsonObject } from './json-reader.js';
import type { JsonObject } from './json-reader.js';
import type { IncrementalJson } from './json-incremental.js';
import { type BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, noLimitCounts, truncateText } from './limits.js';
import type { DecodeOptions } from './slicing.js';

/*
 * Attribute values for the OTLP/JSON decoder (JsonDecoder, decode-json.ts, extends this): KeyValue
 * lists and AnyValue objects read into model values, with the decode limits that apply to them
 * (attribute count, array and kvlist size, value length, nesting depth) and the budget spent on what
 * is built. As in the protobuf oneof, an AnyValue holds at most one value.
 */

const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });
/** A value over a limit, dropped with the attribute holding it; never stored. */
const DROPPED: AnyValue = Object.freeze({ type: 'empty' });
const DROPPED_MAP = new Map<string, AnyValue>();

/** The decode limits and budget, and attribute values read within them; the request walk is JsonDecoder's. */
export class JsonValues {
  protected readonly j = new JsonReader();
  protected readonly limits: DecodeLimits;
  protected readonly counts = noLimitCounts();
  /** Attributes of the current owner dropped by the limits. */
  protected dropped = 0;

  constructor(
    options: DecodeOptions,
    protected readonly meter: BudgetMeter,
    private readonly parser?: IncrementalJson,
  ) {
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
  }

  /** Elements of a list beyond those the parser kept. */
  private discarded(list: readonly unknown[]): number {
    return this.parser?.discardedOf(list) ?? 0;
  }

  /** A string cut to maxValueBytes at a character boundary (OpenTelemetry's attribute value length limit). */
  protected cut(s: string): string {
    // Without the incremental parser (which charges what it builds), strings are charged here.
    if (this.parser === undefined) this.meter.spend(Math.ceil((s.length * 2) / 3));
    const cut = truncateText(s, this.limits.maxValueBytes);
    if (cut !== s) this.counts.truncatedValues++;
    return cut;
  }

  protected str(o: JsonObject, key: string): string {
    return this.cut(this.j.string(o, key));
  }

  /** How many elements of a list are over `max` (those the parser did not keep included). */
  protected over(list: readonly unknown[], max: number): number {
    return Math.max(0, list.length - max) + this.discarded(list);
  }

  /** A KeyValue list field; `level` is the nesting level of its values (1 at the top). */
  protected attributes(o: JsonObject, key: string, level: number): Attributes {
    const list = this.j.array(o, key);
    if (list.length === 0) return emptyAttributes;
    const map = this.keyValues(list, key, level);
    return map === DROPPED_MAP ? emptyAttributes : map;
  }

  /**
   * A KeyValue list. At the top (level 1) entries past maxAttributes, and entries whose value is over
   * a limit, are dropped and counted; inside a kvlist value, more than maxArrayElements entries (or
   * one over a limit) drop the whole value: DROPPED_MAP.
   */
  private keyValues(list: readonly unknown[], key: string, level: number): Map<string, AnyValue> {
    const j = this.j;
    const top = level === 1;
    const max = top ? this.limits.maxAttributes : this.limits.maxArrayElements;
    const extra = this.over(list, max);
    if (!top && extra > 0) return DROPPED_MAP;
    const map = new Map<string, AnyValue>();
    j.push(key);
    const n = Math.min(list.length, max);
    for (let i = 0; i < n; i++) {
      const kv = j.element(list[i], i);
      j.push(i);
      const k = this.str(kv, 'key');
      const v = j.message(kv, 'value');
      let value = EMPTY_VALUE;
      if (v !== undefined) {
        j.push('value');
        value = this.anyValue(v, level);
        j.pop();
      }
      j.pop();
      if (value === DROPPED) {
        if (!top) {
          j.pop();
          return DROPPED_MAP;
        }
        map.delete(k);
        this.dropped++;
        this.counts.droppedAttributes++;
        continue;
      }
      map.set(k, value);
    }
    j.pop();
    if (extra > 0) {
      this.dropped += extra;
      this.counts.droppedAttributes += extra;
    }
    this.meter.spend(map.size * ESTIMATE.entry);
    return map;
  }

  /**
   * An AnyValue object (the reader's path points at it): at most one of its value fields is set, as
   * in the protobuf oneof.
   */
  private anyValue(o: JsonObject, level: number): AnyValue {
    const j = this.j;
    if (level > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`nested deeper than ${MAX_VALUE_DEPTH} levels`, { path: j.where() });
    let found: AnyValue | undefined;
    let foundKey = '';
    for (const key in o) {
      const x = o[key];
      if (x === undefined || x === null) continue;
      let v: AnyValue;
      switch (key) {
        case 'stringValue':
          if (typeof x !== 'string') throw j.fail(key, 'a string', x);
          v = { type: 'string', value: this.cut(x) };
          break;
        case 'boolValue':
          v = { type: 'bool', value: j.bool(x, key) };
          break;
        case 'intValue':
          v = { type: 'int', value: j.int64(x, key) };
          break;
        case 'doubleValue':
          v = { type: 'double', value: j.double(x, key) };
          break;
        case 'bytesValue': {
          const bytes = j.bytes(x, key);
          if (bytes.length > this.limits.maxValueBytes) this.counts.truncatedValues++;
          v = { type: 'bytes', value: bytes.length > this.limits.maxValueBytes ? bytes.slice(0, this.limits.maxValueBytes) : bytes };
          break;
        }
        case 'arrayValue': {
          const values = this.arrayValue(x, level);
          v = values === undefined ? DROPPED : { type: 'array', value: values };
          break;
        }
        case 'kvlistValue': {
          if (!isJsonObject(x)) throw j.fail(key, 'an object', x);
          j.push(key);
          const kvs = this.keyValues(j.array(x, 'values'), 'values', level + 1);
          j.pop();
          v = kvs === DROPPED_MAP ? DROPPED : { type: 'kvlist', value: kvs };
          break;
        }
        default:
          continue; // unknown field
      }
      if (found !== undefined) {
        throw new OtlpDecodeError(`both ${foundKey} and ${key} are set; an AnyValue holds one value`, { path: j.where() });
      }
      found = v;
      foundKey = key;
    }
    return found ?? EMPTY_VALUE;
  }

  /** The elements; undefined when there are more than maxArrayElements or one is over a limit (the value is dropped). */
  private arrayValue(x: unknown, level: number): AnyValue[] | undefined {
    const j = this.j;
    if (!isJsonObject(x)) throw j.fail('arrayValue', 'an object', x);
    j.push('arrayValue');
    const list = j.array(x, 'values');
    if (this.over(list, this.limits.maxArrayElements) > 0) {
      j.pop();
      return undefined;
    }
    const out: AnyValue[] = [];
    j.push('values');
    for (let i = 0; i < list.length; i++) {
      const el = j.element(list[i], i);
      j.push(i);
      const value = this.anyValue(el, level + 1);
      j.pop();
      if (value === DROPPED) {
        j.pop();
        j.pop();
        return undefined;
      }
      out.push(value);
    }
    j.pop();
    j.pop();
    this.meter.spend(out.length * ESTIMATE.value);
    return out;
  }
}
