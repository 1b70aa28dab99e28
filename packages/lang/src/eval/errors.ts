/** Stable codes of errors raised while compiling an assertion for evaluation. */
export type EvalCompileErrorCode = 'invalid-regex' | 'unresolved-field';

/**
 * An AST the evaluator cannot compile. The checker rejects all of these with a located message
 * first; reaching one here means an unchecked AST (a builder bug), so the message says what it was.
 */
export class EvalCompileError extends Error {
  override readonly name = 'EvalCompileError';

  constructor(
    readonly code: EvalCompileErrorCode,
    message: string,
  ) {
    super(message);
  }
}
