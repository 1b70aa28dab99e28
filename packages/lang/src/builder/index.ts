/**
 * The typed builder: assertions in TypeScript that compile to the text language's AST, print as
 * text (`formatAssertion(built.ast)`, `String(built)`) and back (`toBuilderCode`), plus zod payload
 * checks that have no text form (`compileBuilt`).
 */
export { BuilderError } from './errors.js';
export type { BuilderErrorCode } from './errors.js';
export type { DurationText, DurationUnit, PlainValue } from './values.js';
export { Expression, INTRINSIC_TYPES, attr, spanAttr, resourceAttr, eventAttr, linkAttr, instrumentationAttr, intrinsic, not, neg } from './expression.js';
export type { Condition, IntrinsicTypes, Numeric, Operand, Orderable, PlainFor } from './expression.js';
export { lit } from './literals.js';
export { Clauses, SelectionSpec, SpanFilter, SpanSet, span } from './selection.js';
export type { PayloadSchema, SpanFields, SpanSetInput, WhereFields } from './selection.js';
export { BuiltAssertion, atLeast, atMost, exactly, no, one, some } from './assertion.js';
export type { Countable } from './assertion.js';
export { toBuilderCode } from './to-code.js';
export { PAYLOAD_ATTRIBUTE, checkPayload, checkPayloadAttributes, compileBuilt, describePayloadFailures, formatPayloadPath } from './payload.js';
export type { BuiltOutcome, CompiledBuilt, PayloadFailure, PayloadIssue, PayloadProblem } from './payload.js';
export { applyPayloadSchemas } from './payload-remote.js';
export { isStandardSchema } from './standard-schema.js';
export type { StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema.js';
