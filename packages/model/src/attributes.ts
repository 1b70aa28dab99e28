/**
 * Attribute values keep their OTLP type exactly: an int is not a double, a string "2500" is not the
 * int 2500. Ints are bigint because OTLP ints are int64 and must round-trip without loss.
 */
export type AnyValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'array'; readonly value: readonly AnyValue[] }
  | { readonly type: 'kvlist'; readonly value: Attributes }
  /** An AnyValue with no value set (OTLP allows it; Tempo treats it as absent). */
  | { readonly type: 'empty' };

/** Attributes by key. OTLP keys are unique per list; when a sender repeats one, the last wins. */
export type Attributes = ReadonlyMap<string, AnyValue>;

export const emptyAttributes: Attributes = new Map();

/** Builds an AnyValue from a plain JS value: numbers become int when integral, else double. */
export function toAnyValue(v: unknown): AnyValue {
  if (v === null || v === undefined) return { type: 'empty' };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: BigInt(v) } : { type: 'double', value: v };
  if (v instanceof Uint8Array) return { type: 'bytes', value: v };
  if (Array.isArray(v)) return { type: 'array', value: v.map(toAnyValue) };
  if (typeof v === 'object') return { type: 'kvlist', value: toAttributes(v as Record<string, unknown>) };
  return { type: 'string', value: String(v) };
}

/** Builds attributes from a plain object (test fixtures, the builder API). */
export function toAttributes(obj: Record<string, unknown>): Attributes {
  const m = new Map<string, AnyValue>();
  for (const [k, v] of Object.entries(obj)) m.set(k, toAnyValue(v));
  return m;
}

/** Structural equality of two values, types included (int 1 != double 1). */
export function anyValueEquals(a: AnyValue, b: AnyValue): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'empty':
      return true;
    case 'bytes': {
      const bv = (b as typeof a).value;
      return a.value.length === bv.length && a.value.every((x, i) => x === bv[i]);
    }
    case 'array': {
      const bv = (b as typeof a).value;
      return a.value.length === bv.length && a.value.every((x, i) => anyValueEquals(x, bv[i]!));
    }
    case 'kvlist':
      return attributesEqual(a.value, (b as typeof a).value);
    default:
      return a.value === (b as typeof a).value;
  }
}

export function attributesEqual(a: Attributes, b: Attributes): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !anyValueEquals(v, w)) return false;
  }
  return true;
}
