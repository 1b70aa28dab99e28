/**
 * Field expressions, the inside of a filter: attributes, intrinsics and literals, compared and
 * combined with methods that name the operators (`attr('x').gte(500)` is `.x >= 500`). The type
 * parameter is the value type TraceQL infers, so TypeScript rejects what the checker would:
 * `intrinsic('status').gt('ok')` (statuses allow only = and !=), `intrinsic('kind').eq('clinet')`.
 */
import type { ArithmeticOperator, AttributeScope, ComparisonOperator, Expr, KindValue, StatusValue } from '../ast.js';
import { formatExpr } from '../format.js';
import { INTRINSICS, intrinsicInfo } from '../intrinsics.js';
import { nearest } from '../suggest.js';
import type { IntrinsicName, ValueType } from '../intrinsics.js';
import { BuilderError } from './errors.js';
import type { DurationText } from './values.js';
import { literalType, plainExpr } from './values.js';

/** Types that order with `< <= > >=`. */
export type Orderable = 'int' | 'float' | 'duration' | 'string' | 'attribute';
/** Types that take arithmetic. */
export type Numeric = 'int' | 'float' | 'duration' | 'attribute';

/** The plain JS values that stand for a literal next to a field of type `K`. */
export type PlainFor<K extends ValueType> = K extends 'string'
  ? string
  : K extends 'int' | 'float'
    ? number | bigint
    : K extends 'duration'
      ? DurationText
      : K extends 'bool'
        ? boolean
        : K extends 'status'
          ? StatusValue
          : K extends 'kind'
            ? KindValue
            : K extends 'attribute'
              ? string | number | bigint | boolean
              : never;

/** What may stand on the right of an operator next to a field of type `K`: a plain value or any expression. */
export type Operand<K extends ValueType> = PlainFor<K> | Expression;

declare const valueType: unique symbol;

/** A field expression under construction; `.expr` is its AST. */
export class Expression<K extends ValueType = ValueType> {
  /** Phantom: makes `Expression<'status'>` unusable where `Expression<Orderable>` is required. */
  declare readonly [valueType]?: K;

  constructor(
    /** The AST node. */
    readonly expr: Expr,
    /** The value type, as the checker infers it (`attribute` when only the data can tell). */
    readonly type: ValueType,
  ) {}

  /** `this = value`. `null` is nil: `.eq(null)` tests absence, like `.missing()`. */
  eq(value: Operand<K> | null): Expression<'bool'> { return this.compare('=', value); }
  /** `this != value`. `null` is nil: `.ne(null)` tests presence, like `.exists()`. */
  ne(value: Operand<K> | null): Expression<'bool'> { return this.compare('!=', value); }
  lt(this: Expression<Orderable>, value: Operand<K>): Expression<'bool'> { return this.compare('<', value); }
  lte(this: Expression<Orderable>, value: Operand<K>): Expression<'bool'> { return this.compare('<=', value); }
  gt(this: Expression<Orderable>, value: Operand<K>): Expression<'bool'> { return this.compare('>', value); }
  gte(this: Expression<Orderable>, value: Operand<K>): Expression<'bool'> { return this.compare('>=', value); }
  /** `this =~ pattern`: RE2, fully anchored (`'pay.*'` matches `payment`, not `prepay`). */
  matches(this: Expression<'string' | 'attribute'>, pattern: string | Expression): Expression<'bool'> { return this.compare('=~', pattern); }
  /** `this !~ pattern`: the pattern does not match (for arrays: no element does). */
  notMatches(this: Expression<'string' | 'attribute'>, pattern: string | Expression): Expression<'bool'> { return this.compare('!~', pattern); }

  /** `this != nil`: the attribute is present. */
  exists(): Expression<'bool'> { return this.compare('!=', null); }
  /** `this = nil`: the attribute is absent (intrinsics always have a value; the checker says so). */
  missing(): Expression<'bool'> { return this.compare('=', null); }

  /** `this && other`. */
  and(this: Condition, other: Condition): Expression<'bool'> { return binary('&&', this, other.expr, 'bool'); }
  /** `this || other`. */
  or(this: Condition, other: Condition): Expression<'bool'> { return binary('||', this, other.expr, 'bool'); }

  plus(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('+', value); }
  minus(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('-', value); }
  times(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('*', value); }
  div(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('/', value); }
  mod(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('%', value); }
  pow(this: Expression<Numeric>, value: Operand<K>): Expression<K> { return this.arithmetic('^', value); }

  /** The expression as TraceQL text. */
  toString(): string {
    return formatExpr(this.expr);
  }

  private compare(op: ComparisonOperator, value: unknown): Expression<'bool'> {
    return binary(op, this, operandExpr(value, this.type), 'bool');
  }

  private arithmetic<T extends ValueType>(op: ArithmeticOperator, value: unknown): Expression<T> {
    const right = operandExpr(value, this.type);
    // As the checker infers it: the left side's type, or the right side's when the left is an attribute.
    const type = this.type !== 'attribute' ? this.type : value instanceof Expression ? value.type : literalType(right) ?? 'attribute';
    return binary(op, this, right, type);
  }
}

/** An expression that can be a filter's condition: a boolean, or an attribute (true when it is the boolean true). */
export type Condition = Expression<'bool' | 'attribute'>;

function binary<T extends ValueType>(op: ComparisonOperator | ArithmeticOperator | '&&' | '||', left: Expression, right: Expr, type: ValueType): Expression<T> {
  return new Expression<T>({ type: 'binary', op, left: left.expr, right }, type);
}

/** The AST of an operand: an expression as is, a plain value as the literal it stands for next to `context`. */
export function operandExpr(value: unknown, context: ValueType): Expr {
  return value instanceof Expression ? value.expr : plainExpr(value, context);
}

/** `!condition`. */
export function not(condition: Condition): Expression<'bool'> {
  return new Expression({ type: 'unary', op: '!', operand: condition.expr }, 'bool');
}

/** `-value`. */
export function neg<K extends Numeric>(value: Expression<K>): Expression<K> {
  return new Expression({ type: 'unary', op: '-', operand: value.expr }, value.type);
}

function attribute(scope: AttributeScope, name: string): Expression<'attribute'> {
  if (typeof name !== 'string') throw new BuilderError('invalid-value', `an attribute name must be a string, got ${typeof name}`);
  return new Expression({ type: 'attribute', scope, name }, 'attribute');
}

/** `.name`: an unscoped attribute (the span's, else its resource's). */
export function attr(name: string): Expression<'attribute'> { return attribute('unscoped', name); }
/** `span.name`: an attribute of the span itself. */
export function spanAttr(name: string): Expression<'attribute'> { return attribute('span', name); }
/** `resource.name`: an attribute of the span's resource (`service.name`, ...). */
export function resourceAttr(name: string): Expression<'attribute'> { return attribute('resource', name); }
/** `event.name`: an attribute of one of the span's events (conditions hold per event). */
export function eventAttr(name: string): Expression<'attribute'> { return attribute('event', name); }
/** `link.name`: an attribute of one of the span's links (conditions hold per link). */
export function linkAttr(name: string): Expression<'attribute'> { return attribute('link', name); }
/** `instrumentation.name`: an attribute of the instrumentation scope. */
export function instrumentationAttr(name: string): Expression<'attribute'> { return attribute('instrumentation', name); }

/** Value types of the intrinsics, for TypeScript (a test keeps it equal to `INTRINSICS`). */
export const INTRINSIC_TYPES = {
  'name': 'string', 'span:name': 'string',
  'kind': 'kind', 'span:kind': 'kind',
  'status': 'status', 'span:status': 'status',
  'statusMessage': 'string', 'span:statusMessage': 'string',
  'duration': 'duration', 'span:duration': 'duration',
  'span:id': 'string', 'span:parentID': 'string', 'span:childCount': 'int',
  'trace:id': 'string', 'trace:duration': 'duration', 'traceDuration': 'duration',
  'trace:rootName': 'string', 'rootName': 'string', 'trace:rootService': 'string', 'rootServiceName': 'string',
  'event:name': 'string', 'event:timeSinceStart': 'duration',
  'link:traceID': 'string', 'link:spanID': 'string',
  'instrumentation:name': 'string', 'instrumentation:version': 'string',
} as const satisfies Record<IntrinsicName, ValueType>;

/** The value type of each intrinsic spelling. */
export type IntrinsicTypes = typeof INTRINSIC_TYPES;

/** An intrinsic, spelled as in the text (`'name'`, `'span:name'`, `'trace:rootService'`, legacy `'traceDuration'`). */
export function intrinsic<N extends IntrinsicName>(name: N): Expression<IntrinsicTypes[N]> {
  const info = intrinsicInfo(name);
  if (info === undefined) throw unknownIntrinsic(name);
  return new Expression({ type: 'intrinsic', name }, info.type);
}

/** Names an unknown intrinsic with the suggestion the text checker gives: the same name in another scope, else the nearest spelling. */
function unknownIntrinsic(name: unknown): BuilderError {
  if (typeof name !== 'string') return new BuilderError('unknown-field', `an intrinsic name must be a string, got ${typeof name}`);
  const word = name.slice(name.indexOf(':') + 1);
  const spellings = [...INTRINSICS.keys()];
  const elsewhere = name.includes(':') ? spellings.find((n) => n !== name && n.endsWith(`:${word}`)) : undefined;
  const close = elsewhere ?? nearest(name, spellings);
  const attribute = name.includes(':') ? '' : ` (for an attribute, write attr(${JSON.stringify(name)}))`;
  return new BuilderError('unknown-field', `unknown intrinsic '${name}'${close === undefined ? '' : `; did you mean '${close}'?`}${attribute}`);
}
