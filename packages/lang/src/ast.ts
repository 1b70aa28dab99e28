/**
 * The AST shared by the text language and the typed builder: plain data, a union keyed by `type`.
 * An evaluator compiles `Expr` to predicates over one span (or one event / link) and `Selection`
 * to spanset operations over one trace.
 *
 * `loc` records where a node came from in the source text and whether it was written in parentheses.
 * It is source information, not meaning: ASTs built in code have none, and `stripLoc` removes it
 * when comparing trees (`format(parse(x))` parses to the same tree up to `loc`).
 */
import type { IntrinsicName } from './intrinsics.js';

/** Source extent of a node: UTF-16 offsets [start, end), and whether parentheses wrapped it. */
export interface Loc {
  readonly start: number;
  readonly end: number;
  /** True when the source wrapped this node in parentheses (the checker's `&&`/`||` mixing rule needs it). */
  readonly parens?: boolean;
}

interface Node {
  readonly loc?: Loc;
}

/** Attribute scopes: `span.x`, `resource.x`, ..., and `.x` (unscoped: span, then resource). */
export type AttributeScope = 'span' | 'resource' | 'event' | 'link' | 'instrumentation' | 'unscoped';

/** Span status literals. */
export type StatusValue = 'ok' | 'error' | 'unset';

/** Span kind literals. */
export type KindValue = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface StringLiteral extends Node { readonly type: 'string'; readonly value: string }
/** Integers are int64 in TraceQL and OTLP, so they are bigint here. */
export interface IntLiteral extends Node { readonly type: 'int'; readonly value: bigint }
export interface FloatLiteral extends Node { readonly type: 'float'; readonly value: number }
/** A duration literal such as `1h30m`, in nanoseconds. */
export interface DurationLiteral extends Node { readonly type: 'duration'; readonly nanos: bigint }
export interface BoolLiteral extends Node { readonly type: 'bool'; readonly value: boolean }
/** `nil`: only an operand of `=` / `!=` (presence tests). */
export interface NilLiteral extends Node { readonly type: 'nil' }
export interface StatusLiteral extends Node { readonly type: 'status'; readonly value: StatusValue }
export interface KindLiteral extends Node { readonly type: 'kind'; readonly value: KindValue }

export type Literal =
  | StringLiteral
  | IntLiteral
  | FloatLiteral
  | DurationLiteral
  | BoolLiteral
  | NilLiteral
  | StatusLiteral
  | KindLiteral;

/** `span.http.method`, `.flag`, `resource."service.namespace"`. */
export interface AttributeRef extends Node {
  readonly type: 'attribute';
  readonly scope: AttributeScope;
  readonly name: string;
}

/** `name`, `span:name`, `trace:rootName`, ... kept as spelled (legacy `traceDuration` stays so). */
export interface IntrinsicRef extends Node {
  readonly type: 'intrinsic';
  readonly name: IntrinsicName;
}

/**
 * A field the parser could not resolve: a bare word that is no intrinsic (`{ attribute = 4 }`), an
 * unknown scope (`trace:status`, `http.method`) or a TraceQL field we do not support (`parent`).
 * Only the checker sees these: it rejects them with a suggestion.
 */
export interface UnresolvedRef extends Node {
  readonly type: 'unresolved';
  /** `word`, `scope:word` or `scope.attribute` as written. */
  readonly form: 'word' | 'intrinsic' | 'attribute';
  readonly scope?: string;
  readonly name: string;
}

/** Binary field operators in TraceQL precedence groups. */
export type LogicalOperator = '&&' | '||';
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '^';
export type BinaryOperator = LogicalOperator | ComparisonOperator | ArithmeticOperator;

export interface BinaryExpr extends Node {
  readonly type: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface UnaryExpr extends Node {
  readonly type: 'unary';
  readonly op: '!' | '-';
  readonly operand: Expr;
}

/** An expression inside a filter `{ ... }`. */
export type Expr = Literal | AttributeRef | IntrinsicRef | UnresolvedRef | BinaryExpr | UnaryExpr;

/** `{ expr }`; `{ }` (expr null) matches every span. The STRING shorthand `"x"` parses to `{ name = "x" }`. */
export interface SpansetFilter extends Node {
  readonly type: 'filter';
  readonly expr: Expr | null;
}

/** Structural operators: `>` child, `<` parent, `>>` descendant, `<<` ancestor, `~` sibling. */
export type StructuralOperator = '>' | '<' | '>>' | '<<' | '~';
/** Negated structural operators (return right-hand spans with no such relation). */
export type NegatedStructuralOperator = '!>' | '!<' | '!>>' | '!<<' | '!~';
/** Union structural operators (return both sides of every related pair). */
export type UnionStructuralOperator = '&>' | '&<' | '&>>' | '&<<' | '&~';
export type SpansetOperator = LogicalOperator | StructuralOperator | NegatedStructuralOperator | UnionStructuralOperator;

export interface SpansetBinary extends Node {
  readonly type: 'spanset';
  readonly op: SpansetOperator;
  readonly left: Selection;
  readonly right: Selection;
}

/** A span selection: TraceQL spanset expression without pipelines. */
export type Selection = SpansetFilter | SpansetBinary;

/** `exactly N`, `at least N`, `at most N`, `no` (= exactly 0), `some` (= at least 1), `one` (= exactly 1). */
export type Quantifier =
  | (Node & { readonly type: 'quantifier'; readonly kind: 'exactly' | 'at-least' | 'at-most'; readonly count: number })
  | (Node & { readonly type: 'quantifier'; readonly kind: 'no' | 'some' | 'one' });

/** `after SEL`, `before SEL`: keep matches after the end / before the start of some span matching SEL. */
export interface OrderClause extends Node {
  readonly type: 'after' | 'before';
  readonly selection: Selection;
}

/** `within D`: keep matches that start at most D after the run's earliest span start. */
export interface WithinClause extends Node {
  readonly type: 'within';
  readonly nanos: bigint;
}

export type Clause = OrderClause | WithinClause;

/** `quantifier selection clause*`. */
export interface Assertion extends Node {
  readonly type: 'assertion';
  readonly quantifier: Quantifier;
  readonly selection: Selection;
  readonly clauses: readonly Clause[];
}

/** Any node of the tree. */
export type AstNode = Assertion | Quantifier | Clause | Selection | Expr;

/** The count range a quantifier accepts: `max` undefined means unbounded. */
export function quantifierBounds(q: Quantifier): { min: number; max: number | undefined } {
  switch (q.kind) {
    case 'exactly': return { min: q.count, max: q.count };
    case 'at-least': return { min: q.count, max: undefined };
    case 'at-most': return { min: 0, max: q.count };
    case 'no': return { min: 0, max: 0 };
    case 'some': return { min: 1, max: undefined };
    case 'one': return { min: 1, max: 1 };
  }
}

/** A deep copy of a tree without `loc`, for comparing trees by meaning. */
export function stripLoc<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n: unknown) => stripLoc(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k !== 'loc') out[k] = stripLoc(v);
  }
  return out as T;
}
