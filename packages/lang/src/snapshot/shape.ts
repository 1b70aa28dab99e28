/**
 * The shape of JSON payloads: keys and JSON types, nested, merged over every instance of an effect.
 * `integer` and `number` are told apart (2500 cents vs 25.5 dollars); a key missing from some
 * instances is optional; a field whose path is pinned keeps its values too (`currency: "EUR"`).
 */

/** A JSON type as a snapshot names it. */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** The merged shape of one value position. */
export interface Shape {
  /** Types seen at this position. */
  types: Set<JsonType>;
  /** For objects: each key's shape, and in how many of the objects seen it appeared. */
  fields: Map<string, { shape: Shape; seen: number }>;
  /** Objects seen here (to tell optional keys). */
  objects: number;
  /** For arrays: the merged shape of their elements (undefined until an element is seen). */
  items: Shape | undefined;
  /** Pinned values seen here, as JSON text. */
  values: Set<string> | undefined;
}

/** Where the user pinned or ignored fields: dot paths, `[]` for array elements (`items[].sku`). */
export interface ShapeRules {
  readonly pin: ReadonlySet<string>;
  readonly ignore: ReadonlySet<string>;
  /** A value that stands for a secret the SDK masked: never recorded, even when pinned. */
  readonly redacted: string;
}

/** Most distinct pinned values kept per field. */
const MAX_VALUES = 10;

export function emptyShape(): Shape {
  return { types: new Set(), fields: new Map(), objects: 0, items: undefined, values: undefined };
}

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'object') return 'object';
  return 'string';
}

/** Adds one value at `path` (`''` for the payload itself) to `shape`. */
export function addToShape(shape: Shape, value: unknown, path: string, rules: ShapeRules): void {
  const type = typeOf(value);
  shape.types.add(type);
  if (rules.pin.has(path) && type !== 'object' && type !== 'array') {
    shape.values ??= new Set();
    const text = value === rules.redacted ? '<redacted>' : JSON.stringify(value);
    if (shape.values.size < MAX_VALUES) shape.values.add(text);
  }
  if (type === 'object') {
    shape.objects++;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (rules.ignore.has(child)) continue;
      let field = shape.fields.get(key);
      if (field === undefined) shape.fields.set(key, (field = { shape: emptyShape(), seen: 0 }));
      field.seen++;
      addToShape(field.shape, v, child, rules);
    }
  } else if (type === 'array') {
    for (const v of value as unknown[]) {
      shape.items ??= emptyShape();
      addToShape(shape.items, v, `${path}[]`, rules);
    }
  }
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];

/** `string`, `integer | null`, `"EUR" | "USD"` (pinned), `array`. */
export function describeScalar(shape: Shape): string {
  const types = TYPE_ORDER.filter((t) => shape.types.has(t) && t !== 'object' && t !== 'array');
  if (shape.values !== undefined && shape.values.size > 0) {
    const rest = types.filter((t) => t === 'object' || t === 'array');
    return [...[...shape.values].sort(), ...rest].join(' | ');
  }
  return types.join(' | ');
}

/**
 * The shape as indented lines, keys sorted: `order_id: string`, `note?: string | null`,
 * `items[]:` with the element's fields under it, `tags[]: string`.
 */
export function shapeLines(shape: Shape, indent: string): string[] {
  const lines: string[] = [];
  for (const key of [...shape.fields.keys()].sort()) {
    const { shape: s, seen } = shape.fields.get(key)!;
    const name = `${/^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key)}${seen < shape.objects ? '?' : ''}`;
    lines.push(...fieldLines(name, s, indent));
  }
  return lines;
}

function fieldLines(name: string, s: Shape, indent: string): string[] {
  const out: string[] = [];
  const scalar = describeScalar(s);
  const isObject = s.types.has('object');
  const isArray = s.types.has('array');
  const head = [scalar, isObject && scalar !== '' ? 'object' : ''].filter((x) => x !== '').join(' | ');
  if (isObject) {
    out.push(`${indent}${name}:${head === '' || head === 'object' ? '' : ` ${head}`}`);
    out.push(...shapeLines(s, `${indent}  `));
  } else if (!isArray) {
    out.push(`${indent}${name}: ${scalar}`);
  }
  if (isArray) {
    const items = s.items;
    const also = [scalar, isObject ? 'object' : ''].filter((x) => x !== '').join(' | ');
    const suffix = also === '' ? '' : ` (or ${also})`;
    if (items === undefined) out.push(`${indent}${name}[]: empty${suffix}`);
    else if (items.types.has('object')) {
      const itemScalar = describeScalar(items);
      out.push(`${indent}${name}[]:${itemScalar === '' ? '' : ` ${itemScalar} | object`}${suffix}`);
      out.push(...shapeLines(items, `${indent}  `));
    } else out.push(`${indent}${name}[]: ${describeScalar(items) || 'array'}${suffix}`);
  }
  return out;
}
