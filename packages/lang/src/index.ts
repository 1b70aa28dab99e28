/**
 * @tracecheck/lang: the assertion language. Text -> tokens -> AST -> checked AST; the same AST comes
 * from the typed builder, and `format*` prints it back as text.
 */
export { LANGUAGE_LIMITS, parseAssertion, parseSelection } from './parser.js';
export { checkAssertion, checkSelection } from './check.js';
export { validateAssertion, validateSelection } from './validate.js';
export type { Validated } from './validate.js';
export { formatAssertion, formatSelection, formatExpr, formatClause, formatQuantifier } from './format.js';
export { formatDuration, parseDuration } from './duration.js';
export { tokenize } from './lexer.js';
export type { Token, Punct } from './lexer.js';
export { quantifierBounds, stripLoc } from './ast.js';
export type {
  Assertion,
  AstNode,
  AttributeRef,
  AttributeScope,
  ArithmeticOperator,
  BinaryExpr,
  BinaryOperator,
  BoolLiteral,
  Clause,
  ComparisonOperator,
  DurationLiteral,
  Expr,
  FloatLiteral,
  IntLiteral,
  IntrinsicRef,
  KindLiteral,
  KindValue,
  Literal,
  Loc,
  LogicalOperator,
  NegatedStructuralOperator,
  NilLiteral,
  OrderClause,
  Quantifier,
  Selection,
  SpansetBinary,
  SpansetFilter,
  SpansetOperator,
  StatusLiteral,
  StatusValue,
  StringLiteral,
  StructuralOperator,
  UnaryExpr,
  UnionStructuralOperator,
  UnresolvedRef,
  WithinClause,
} from './ast.js';
export { INTRINSICS, intrinsicInfo, ATTRIBUTE_SCOPES, INTRINSIC_SCOPES, STATUS_VALUES, KIND_VALUES } from './intrinsics.js';
export type { CanonicalIntrinsic, IntrinsicInfo, IntrinsicLevel, IntrinsicName, ValueType } from './intrinsics.js';
export { LangError, ParseError, CheckError, renderError, positionAt } from './errors.js';
export type { CheckCode, CheckHint, Diagnostic, ParseErrorCode, SourcePosition } from './errors.js';
export { DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS, decide, decideComplete } from './decide/decide.js';
export type { Decidable, DecidableOutcome, DecideOptions, Decision, RunSource, StopReason, WaitRecord } from './decide/decide.js';
export { capOf, DEFAULT_IN_FLIGHT_CAPS, EXTERNAL_PARENT_TRACESTATE_KEY, findInFlight, parentIsExternal } from './decide/in-flight.js';
export type { InFlightCaps, InFlightItem, InFlightKind, OpenSpanInfo } from './decide/in-flight.js';
export { DEFAULT_MAX_LEDGER_ENTRIES, PassLedger } from './decide/reverify.js';
export type { Overturn } from './decide/reverify.js';
export { namesCompared, unseenNameWarnings } from './decide/typo-hints.js';
export { storeRunSource } from './decide/store-source.js';
export { DEFAULT_EVAL_SLICE_MS, runSlicedAsync, type Steps } from './eval/steps.js';
export { checkRun, checkSpans, completeResult, prepareCheck } from './decide/run-check.js';
export type { Checkable, CheckJson, CheckResult, CheckRunOptions } from './decide/run-check.js';
export {
  buildRunGraph,
  buildTree,
  buildVerdict,
  compileAssertion,
  describeExpected,
  describeSpanSummary,
  EvalCompileError,
  findNearMisses,
  formatNanos,
  formatWait,
  MAX_MATCHES_IN_VERDICT,
  renderTree,
  renderTreeData,
  renderVerdict,
  renderVerdictData,
  renderWaitedFor,
  RunGraphBuilder,
  summarizeSpan,
  verdictJson,
} from './eval/index.js';
export type {
  CompiledAssertion,
  EvalCompileErrorCode,
  Exclusion,
  ExclusionData,
  NearMiss,
  NearMissData,
  Outcome,
  PayloadFailureData,
  RunGraph,
  SpanSummary,
  TraceGraph,
  TraceTree,
  TreeOptions,
  TreeRow,
  TreeStyle,
  TreeTrace,
  Verdict,
  VerdictExtras,
  VerdictJson,
  VerdictStyle,
} from './eval/index.js';
export { BuilderError } from './builder/index.js';
export type { BuilderErrorCode } from './builder/index.js';
export type { DurationText, DurationUnit, PlainValue } from './builder/index.js';
export { Expression, INTRINSIC_TYPES, attr, spanAttr, resourceAttr, eventAttr, linkAttr, instrumentationAttr, intrinsic, not, neg } from './builder/index.js';
export type { Condition, IntrinsicTypes, Numeric, Operand, Orderable, PlainFor } from './builder/index.js';
export { lit } from './builder/index.js';
export { Clauses, SelectionSpec, SpanFilter, SpanSet, span } from './builder/index.js';
export type { PayloadSchema, SpanFields, SpanSetInput, WhereFields } from './builder/index.js';
export { BuiltAssertion, atLeast, atMost, exactly, no, one, some } from './builder/index.js';
export type { Countable } from './builder/index.js';
export { toBuilderCode } from './builder/index.js';
export { PAYLOAD_ATTRIBUTE, applyPayloadSchemas, checkPayload, checkPayloadAttributes, compileBuilt, describePayloadFailures, formatPayloadPath, isStandardSchema } from './builder/index.js';
export type { BuiltOutcome, CompiledBuilt, PayloadFailure, PayloadIssue, PayloadProblem, StandardIssue, StandardResult, StandardSchemaV1 } from './builder/index.js';
export { diffSnapshots, effectSnapshot, findEffects, normalizePath, parseSnapshot, SNAPSHOT_HEADER, SnapshotFormatError } from './snapshot/index.js';
export type { EffectInstance, ParsedSnapshot, SnapshotOptions } from './snapshot/index.js';
