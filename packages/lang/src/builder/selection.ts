/**
 * Span selections: `span('charge')`, `span({ kind: 'client' }).where({ amount: 2500 })`, joined by
 * methods that name TraceQL's spanset operators (`a.child(b)` is `a > b`: the b spans whose parent
 * is an a). Clauses and payload checks end a selection (`.after(...)`, `.within('5s')`,
 * `.payload(schema)` give a `SelectionSpec`), just as in the text, where a clause's selection runs to
 * the next clause: `some "a" after "b" > "c"` is `after ("b" > "c")`.
 */
import type { Clause, Expr, KindValue, Selection, SpansetOperator, StatusValue } from '../ast.js';
import { parseDuration } from '../duration.js';
import { formatClause, formatSelection } from '../format.js';
import { BuilderError } from './errors.js';
import { Expression } from './expression.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';
import type { Condition } from './expression.js';
import type { DurationText, PlainValue } from './values.js';
import { kindExpr, plainExpr, statusExpr } from './values.js';

/** A selection, or a span name as shorthand for `span(name)`. */
export type SpanSetInput = SpanSet | string;

/** Span attributes compared for equality by `where({ ... })`; `null` means the attribute is absent. */
export type WhereFields = Readonly<Record<string, PlainValue>>;

/** Intrinsics `span({ ... })` compares for equality. */
export interface SpanFields {
  readonly name?: string;
  readonly kind?: KindValue;
  readonly status?: StatusValue;
  readonly statusMessage?: string;
}

/**
 * A schema for the JSON attribute `effect.payload`: any Standard Schema (zod 3.24+ and 4 with
 * zod/mini, valibot, arktype, ...). zod is the documented default.
 */
export type PayloadSchema = StandardSchemaV1;

const SPAN_FIELDS: Record<keyof SpanFields, (v: unknown) => Expr> = {
  name: (v) => stringValue('name', v),
  kind: (v) => kindExpr(String(v)),
  status: (v) => statusExpr(String(v)),
  statusMessage: (v) => stringValue('statusMessage', v),
};

function stringValue(field: string, v: unknown): Expr {
  if (typeof v !== 'string') throw new BuilderError('invalid-value', `span({ ${field} }) needs a string, got ${typeof v}`);
  return { type: 'string', value: v };
}

function and(left: Expr | null, right: Expr): Expr {
  return left === null ? right : { type: 'binary', op: '&&', left, right };
}

function nameFilter(name: string): Selection {
  return { type: 'filter', expr: { type: 'binary', op: '=', left: { type: 'intrinsic', name: 'name' }, right: { type: 'string', value: name } } };
}

/** The AST of a selection operand; `role` names the place in errors. */
export function selectionOf(input: SpanSetInput, role: string): Selection {
  if (typeof input === 'string') return nameFilter(input);
  if (input instanceof SpanSet) return input.selection;
  if ((input as unknown) instanceof SelectionSpec) {
    throw new BuilderError('invalid-selection', `${role} must be a plain selection: clauses (after, before, within) and payload checks belong to the assertion's own selection, at the end`);
  }
  throw new BuilderError('invalid-selection', `${role} must be a selection such as span('name') or a span name, got ${input === null ? 'null' : typeof input}`);
}

function withinNanos(d: DurationText | bigint): bigint {
  if (typeof d === 'bigint') return d;
  const nanos = typeof d === 'string' ? parseDuration(d) : undefined;
  if (nanos === undefined) throw new BuilderError('invalid-duration', `within(${JSON.stringify(d)}): not a duration; write e.g. '5s', '250ms' or '1m30s'`);
  return nanos;
}

/** Clauses and payload checks, shared by `SpanSet` (which starts them) and `SelectionSpec`. */
export abstract class Clauses {
  protected abstract spec(): SelectionSpec;

  /** `after Q`: keep matches that start at or after the end of some span matching Q in the run. */
  after(anchor: SpanSetInput): SelectionSpec {
    return this.spec().with({ type: 'after', selection: selectionOf(anchor, 'after(...)') });
  }

  /** `before Q`: keep matches that end at or before the start of some span matching Q. */
  before(anchor: SpanSetInput): SelectionSpec {
    return this.spec().with({ type: 'before', selection: selectionOf(anchor, 'before(...)') });
  }

  /** `within D`: keep matches that start at most D after the run's earliest span. */
  within(duration: DurationText | bigint): SelectionSpec {
    return this.spec().with({ type: 'within', nanos: withinNanos(duration) });
  }

  /**
   * Checks the JSON attribute `effect.payload` of every span the selection matched against a zod
   * schema: a span whose payload is missing, not JSON or does not fit is not counted, and is reported
   * with zod's issues. Runs in the test process (`compileBuilt`); it has no text form.
   */
  payload(schema: PayloadSchema): SelectionSpec {
    if (!isStandardSchema(schema)) {
      throw new BuilderError('invalid-value', 'payload(...) needs a schema that implements Standard Schema (zod, valibot, arktype...), e.g. z.object({ amount: z.number() })');
    }
    return this.spec().withPayload(schema);
  }
}

/** A span selection (TraceQL spanset expression). */
export class SpanSet extends Clauses {
  constructor(
    /** The AST. */
    readonly selection: Selection,
  ) {
    super();
  }

  protected spec(): SelectionSpec {
    return new SelectionSpec(this.selection, [], []);
  }

  private op(op: SpansetOperator, other: SpanSetInput): SpanSet {
    return new SpanSet({ type: 'spanset', op, left: this.selection, right: selectionOf(other, `the right side of ${op}`) });
  }

  /** `this && other`: per trace, the spans of both sides when both match. */
  and(other: SpanSetInput): SpanSet { return this.op('&&', other); }
  /** `this || other`: per trace, the spans of either side. */
  or(other: SpanSetInput): SpanSet { return this.op('||', other); }

  /** `this > other`: the `other` spans whose parent is one of these. */
  child(other: SpanSetInput): SpanSet { return this.op('>', other); }
  /** `this >> other`: the `other` spans below one of these. */
  descendant(other: SpanSetInput): SpanSet { return this.op('>>', other); }
  /** `this < other`: the `other` spans that are the parent of one of these. */
  parent(other: SpanSetInput): SpanSet { return this.op('<', other); }
  /** `this << other`: the `other` spans above one of these. */
  ancestor(other: SpanSetInput): SpanSet { return this.op('<<', other); }
  /** `this ~ other`: the `other` spans that share a parent with one of these. */
  sibling(other: SpanSetInput): SpanSet { return this.op('~', other); }

  /** `this !> other`: the `other` spans whose parent is none of these. */
  notChild(other: SpanSetInput): SpanSet { return this.op('!>', other); }
  /** `this !>> other`: the `other` spans below none of these. */
  notDescendant(other: SpanSetInput): SpanSet { return this.op('!>>', other); }
  /** `this !< other`: the `other` spans that are the parent of none of these. */
  notParent(other: SpanSetInput): SpanSet { return this.op('!<', other); }
  /** `this !<< other`: the `other` spans above none of these. */
  notAncestor(other: SpanSetInput): SpanSet { return this.op('!<<', other); }
  /** `this !~ other`: the `other` spans that are a sibling of none of these. */
  notSibling(other: SpanSetInput): SpanSet { return this.op('!~', other); }

  /** `this &> other`: both spans of every parent-child pair. */
  unionChild(other: SpanSetInput): SpanSet { return this.op('&>', other); }
  /** `this &>> other`: both spans of every ancestor-descendant pair. */
  unionDescendant(other: SpanSetInput): SpanSet { return this.op('&>>', other); }
  /** `this &< other`: both spans of every child-parent pair. */
  unionParent(other: SpanSetInput): SpanSet { return this.op('&<', other); }
  /** `this &<< other`: both spans of every descendant-ancestor pair. */
  unionAncestor(other: SpanSetInput): SpanSet { return this.op('&<<', other); }
  /** `this &~ other`: both spans of every sibling pair. */
  unionSibling(other: SpanSetInput): SpanSet { return this.op('&~', other); }

  /** The selection as TraceQL. */
  override toString(): string {
    return formatSelection(this.selection);
  }
}

/** One filter `{ ... }`, which `where` narrows further. */
export class SpanFilter extends SpanSet {
  declare readonly selection: Selection & { type: 'filter' };

  /**
   * Adds conditions with `&&`: `where({ amount: 2500, currency: 'EUR' })` is `span.amount = 2500 &&
   * span.currency = "EUR"` (values typed as in the text: 2500 an int, 2.5 a float, 2500n an int),
   * `where(attr('http.response.status_code').gte(500))` any condition.
   */
  where(conditions: WhereFields | Condition): SpanFilter {
    let expr = this.selection.expr;
    if (conditions instanceof Expression) {
      expr = and(expr, conditions.expr);
    } else if (conditions !== null && typeof conditions === 'object' && !Array.isArray(conditions)) {
      for (const [key, value] of Object.entries(conditions)) {
        if (value === undefined) throw new BuilderError('invalid-value', `where({ ${key}: undefined }): leave the key out, or use null for "attribute absent"`);
        expr = and(expr, { type: 'binary', op: '=', left: { type: 'attribute', scope: 'span', name: key }, right: plainExpr(value, 'attribute') });
      }
    } else {
      throw new BuilderError('invalid-value', 'where(...) needs an object of span attributes or a condition such as attr("x").gt(1)');
    }
    return new SpanFilter({ type: 'filter', expr });
  }
}

/** A selection ended by clauses and payload checks: what a quantifier counts. */
export class SelectionSpec extends Clauses {
  constructor(
    readonly selection: Selection,
    readonly clauses: readonly Clause[],
    readonly payloads: readonly PayloadSchema[],
  ) {
    super();
  }

  protected spec(): SelectionSpec {
    return this;
  }

  /** @internal A copy with one more clause. */
  with(clause: Clause): SelectionSpec {
    return new SelectionSpec(this.selection, [...this.clauses, clause], this.payloads);
  }

  /** @internal A copy with one more payload schema. */
  withPayload(schema: PayloadSchema): SelectionSpec {
    return new SelectionSpec(this.selection, this.clauses, [...this.payloads, schema]);
  }

  /** The selection and clauses as text (payload checks have no text form). */
  override toString(): string {
    return [formatSelection(this.selection), ...this.clauses.map(formatClause)].join(' ');
  }
}

/**
 * A filter: `span()` is `{ }` (every span), `span('charge')` is `{ name = "charge" }`,
 * `span({ kind: 'client', status: 'error' })` compares intrinsics, `span(condition)` is `{ condition }`.
 */
export function span(match?: string | SpanFields | Condition): SpanFilter {
  if (match === undefined) return new SpanFilter({ type: 'filter', expr: null });
  if (typeof match === 'string') return new SpanFilter(nameFilter(match) as Selection & { type: 'filter' });
  if (match instanceof Expression) return new SpanFilter({ type: 'filter', expr: match.expr });
  if (match === null || typeof match !== 'object') throw new BuilderError('invalid-value', `span(...) needs a name, an object of intrinsics or a condition, got ${String(match)}`);
  let expr: Expr | null = null;
  for (const [key, value] of Object.entries(match)) {
    const literal = Object.hasOwn(SPAN_FIELDS, key) ? SPAN_FIELDS[key as keyof SpanFields] : undefined;
    if (literal === undefined) {
      throw new BuilderError('unknown-field', `span({ ${key} }): not an intrinsic span() compares (name, kind, status, statusMessage); for the attribute write span().where({ ${JSON.stringify(key)}: ... })`);
    }
    if (value === undefined) throw new BuilderError('invalid-value', `span({ ${key}: undefined }): leave the key out`);
    expr = and(expr, { type: 'binary', op: '=', left: { type: 'intrinsic', name: key as keyof SpanFields }, right: literal(value) });
  }
  return new SpanFilter({ type: 'filter', expr });
}
