import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes } from '@tracecheck/model';
import { MAX_VALUE_DEPTH } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { BudgetMeter, DEFAULT_DECODE_LIMITS, type DecodeLimits, ESTIMATE, noLimitCounts } from './limits.js';
import type { DecodeOptions } from './slicing.js';
import type protobuf from 'protobufjs';
import { WireReader } from './wire-reader.js';

/*
 * Attribute values for the hand-written decoder (ReaderDecoder, reader-decoder.ts, extends this):
 * KeyValue and AnyValue messages read into model values, with the decode limits that apply to them
 * (attribute count, array and kvlist size, nesting depth) and the budget spent on what is built.
 * Same protobuf semantics as the rest of the walk: a repeated value field merges, a oneof member
 * replaces the others.
 */

const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });
/** A value over a limit, dropped with the attribute holding it; never stored. */
const DROPPED: AnyValue = Object.freeze({ type: 'empty' });

/** The decode limits and budget, and attribute values read within them; the message walk is ReaderDecoder's. */
export class ValueReader extends WireReader {
  protected readonly limits: DecodeLimits;
  protected readonly meter: BudgetMeter;
  protected readonly counts = noLimitCounts();
  /** Attributes dropped by the limits since the owner (span, event, link, resource, scope) began. */
  protected dropped = 0;
  /** valueBytes already spent against the budget. */
  private spentValueBytes = 0;

  constructor(r: protobuf.Reader, options: DecodeOptions) {
    super(r);
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
    this.maxValueBytes = this.limits.maxValueBytes;
    this.meter = new BudgetMeter(options.budget);
  }

  /** Spends the estimate of what was built since the last call. */
  protected spend(objects: number): void {
    const strings = this.valueBytes - this.spentValueBytes;
    this.spentValueBytes = this.valueBytes;
    this.meter.spend(objects * ESTIMATE.value + Math.ceil((strings * 2) / 3));
  }

  /**
   * Reads one KeyValue into `into` (a fresh map replaces the shared empty one), last key wins.
   * `level` is the nesting level of its value: 1 for a span's own attributes.
   */
  protected keyValue(into: Attributes, level: number): Map<string, AnyValue> {
    const r = this.r;
    const map = into === emptyAttributes ? new Map<string, AnyValue>() : (into as Map<string, AnyValue>);
    // Over the count limit (for a span's own attributes maxAttributes; inside a kvlist value,
    // maxArrayElements), a new entry is not even read; a repeated key still replaces its value.
    const max = level === 1 ? this.limits.maxAttributes : this.limits.maxArrayElements;
    const full = map.size >= max;
    const outer = this.enter();
    let key = '';
    let value: AnyValue | undefined;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x0a) {
        key = this.key();
        if (full && !map.has(key)) {
          this.skipRest();
          value = DROPPED;
        }
      } else if (tag === 0x12) {
        const inner = this.enter();
        value = this.anyValue(value === DROPPED ? undefined : value, level);
        this.leave(inner);
      } else this.skip(tag);
    }
    this.leave(outer);
    if (value === DROPPED) {
      if (level === 1) {
        this.dropped++;
        this.counts.droppedAttributes++;
      } else this.overflowed = true; // the kvlist holding it is dropped with it
      map.delete(key);
      return map;
    }
    map.set(key, value ?? EMPTY_VALUE);
    return map;
  }

  /**
   * The value of the KeyValue whose length prefix is at the reader, without building a map: what
   * `keyValue` would store for its key when no decode limit is in reach (a span the skim found
   * simple). Repeated value fields merge as in `keyValue`.
   */
  protected valueOfKeyValue(): AnyValue {
    const r = this.r;
    const outer = this.enter();
    let value: AnyValue | undefined;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      if (tag === 0x12) {
        const inner = this.enter();
        value = this.anyValue(value, 1);
        this.leave(inner);
      } else this.skip(tag);
    }
    this.leave(outer);
    return value ?? EMPTY_VALUE;
  }

  /** Set when a nested value went over a limit: the top-level attribute holding it is dropped. */
  private overflowed = false;

  /** Reads an AnyValue message, merged into `prev` when the field repeats (protobuf semantics). */
  private anyValue(prev: AnyValue | undefined, level: number): AnyValue {
    if (level > MAX_VALUE_DEPTH) {
      throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`, { offset: this.r.pos });
    }
    const r = this.r;
    let v = prev;
    while (r.pos < r.len) {
      const tag = this.nextTag();
      switch (tag) {
        case 0x0a: v = { type: 'string', value: this.str() }; continue;
        case 0x10: v = { type: 'bool', value: r.bool() }; continue;
        case 0x18: v = this.intValue(); continue;
        case 0x21: v = { type: 'double', value: r.double() }; continue;
        case 0x2a: {
          const values = v?.type === 'array' ? (v.value as AnyValue[]) : [];
          const outer = this.enter();
          let over = false;
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x0a) {
              // Past maxArrayElements (or with an element over a limit) the value is dropped: the
              // rest of the array is stepped over by its length, never decoded.
              if (values.length >= this.limits.maxArrayElements) over = true;
              else {
                const inner = this.enter();
                const element = this.anyValue(undefined, level + 1);
                this.leave(inner);
                if (element === DROPPED) over = true;
                else values.push(element);
              }
              if (over) this.skipRest();
            } else this.skip(t);
          }
          this.leave(outer);
          this.spend(values.length);
          v = over ? DROPPED : { type: 'array', value: values };
          continue;
        }
        case 0x32: {
          // Always a fresh map for a kvlist's own: keyValue only replaces the shared empty one.
          let map: Attributes = v?.type === 'kvlist' ? v.value : new Map<string, AnyValue>();
          const outer = this.enter();
          const outerOverflowed = this.overflowed;
          this.overflowed = false;
          while (r.pos < r.len) {
            const t = this.nextTag();
            if (t === 0x0a) {
              map = this.keyValue(map, level + 1);
              if (this.overflowed) this.skipRest();
            } else this.skip(t);
          }
          this.leave(outer);
          const over = this.overflowed;
          this.overflowed = outerOverflowed;
          this.spend(map.size);
          v = over ? DROPPED : { type: 'kvlist', value: map };
          continue;
        }
        case 0x3a: v = { type: 'bytes', value: this.bytesCopy() }; continue;
      }
      this.skip(tag);
    }
    return v ?? EMPTY_VALUE;
  }
}
