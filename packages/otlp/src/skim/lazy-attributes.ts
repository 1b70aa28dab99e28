import { emptyAttributes } from '@tracecheck/model';
import type { AnyValue, Attributes, InstrumentationScope, Resource } from '@tracecheck/model';
import type { DecodeLimits } from '../limits.js';
import { decodeSpanRange, findSpanAttribute } from './span-range.js';

/** Stand-ins for decodeSpanRange, whose resource and scope a span's attributes do not depend on. */
const NO_RESOURCE: Resource = Object.freeze({ attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: '' });
const NO_SCOPE: InstrumentationScope = Object.freeze({ name: '', version: '', attributes: emptyAttributes, droppedAttributesCount: 0, schemaUrl: '' });

/** Which span of a skimmed request a LazyAttributes reads, and how. */
export interface SpanRangeRef {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** The row's `complex` flag: its attributes are read only by decoding the whole span. */
  readonly complex?: boolean;
  /** The limits the request was skimmed with. */
  readonly limits?: Partial<DecodeLimits>;
}

/**
 * A span's attributes read from its request's bytes on demand: `get` and `has` find one key
 * (results kept per instance); anything that needs them all (`size`, iteration) decodes the span's
 * attributes once and keeps them. Equal, as a map, to the full decoder's attributes of the span.
 */
export class LazyAttributes implements ReadonlyMap<string, AnyValue> {
  private whole: Attributes | undefined;
  /** The last key looked up and its value: a check mostly reads one key of a span, often again. */
  private lastKey: string | undefined;
  private lastValue: AnyValue | undefined;
  /** Earlier keys looked up, made only when a second key is. */
  private found: Map<string, AnyValue | undefined> | undefined;

  constructor(private readonly ref: SpanRangeRef) {}

  get(key: string): AnyValue | undefined {
    if (this.whole !== undefined || this.ref.complex === true) return this.all().get(key);
    if (key === this.lastKey) return this.lastValue;
    if (this.found?.has(key)) return this.found.get(key);
    const { bytes, start, end } = this.ref;
    const value = findSpanAttribute(bytes, start, end, key);
    if (this.lastKey !== undefined) (this.found ??= new Map()).set(this.lastKey, this.lastValue);
    this.lastKey = key;
    this.lastValue = value;
    return value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.all().size;
  }

  forEach(callback: (value: AnyValue, key: string, map: ReadonlyMap<string, AnyValue>) => void, thisArg?: unknown): void {
    this.all().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, AnyValue]> {
    return this.all().entries();
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<AnyValue> {
    return this.all().values();
  }

  [Symbol.iterator](): MapIterator<[string, AnyValue]> {
    return this.all()[Symbol.iterator]();
  }

  private all(): Attributes {
    const { bytes, start, end, limits } = this.ref;
    return (this.whole ??= decodeSpanRange(bytes, start, end, NO_RESOURCE, NO_SCOPE, limits).attributes);
  }
}
