/**
 * Errors the builder throws when a value cannot be written in the language. TypeScript rejects most
 * of these at compile time; these are for what types cannot see (NaN, 2 ** 60, a typo in a duration
 * string, a value from `any`). Meaning errors found by the checker stay `CheckError`s.
 */

/** Stable codes of builder errors. */
export type BuilderErrorCode =
  /** A JS value with no literal form: NaN, Infinity, an unsafe integer, an object, undefined. */
  | 'invalid-value'
  /** A duration string that does not parse (`'5 seconds'`). */
  | 'invalid-duration'
  /** A quantifier count that is not a whole number >= 0. */
  | 'invalid-count'
  /** An unknown key in `span({ ... })`. */
  | 'unknown-field'
  /** Something that is not a selection where one was needed (a `SelectionSpec` as an operand). */
  | 'invalid-selection'
  /** `toBuilderCode` met a node the builder cannot produce (unresolved fields, negative literals). */
  | 'unrepresentable'
  /** A payload schema threw instead of reporting issues (async refinements, a throwing transform). */
  | 'payload-schema-threw';

/** A value or shape the builder cannot turn into the language's AST. */
export class BuilderError extends Error {
  override readonly name = 'BuilderError';

  constructor(
    readonly code: BuilderErrorCode,
    message: string,
  ) {
    super(message);
  }
}
