/**
 * The Standard Schema interface (https://standardschema.dev, v1), which zod (3.24+ and 4), valibot
 * (1.x), arktype (2.x) and others implement: one `validate` function behind the `~standard` key. The
 * spec is meant to be copied as types rather than depended on, as Vitest's `expect.schemaMatching`
 * does; payload schemas accept any schema that has it.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A path segment: a key, or an object holding one. */
export type StandardPathSegment = PropertyKey | { readonly key: PropertyKey };

export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly StandardPathSegment[] | undefined;
}

export type StandardResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] };

/** True for a value that implements Standard Schema v1. */
export function isStandardSchema(v: unknown): v is StandardSchemaV1 {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null || !('~standard' in v)) return false;
  const std = (v as { '~standard': unknown })['~standard'];
  return typeof std === 'object' && std !== null && (std as { version?: unknown }).version === 1 && typeof (std as { validate?: unknown }).validate === 'function';
}

/** A path segment as a string or number (symbols become their description). */
export function pathKey(seg: StandardPathSegment): string | number {
  const key = typeof seg === 'object' && seg !== null ? seg.key : seg;
  return typeof key === 'number' ? key : typeof key === 'symbol' ? (key.description ?? 'symbol') : String(key);
}
