/**
 * Payload-shape checks: the schemas given with `.payload(schema)` (any Standard Schema: zod,
 * valibot, arktype) run in the test process on the JSON attribute `effect.payload` of each span the
 * assertion counted. A span whose payload is missing, not JSON, or does not fit is not counted, and
 * is reported with the schema's issues (path and message), so a failure can say which field drifted. `compileBuilt` wraps the evaluator's compiled
 * assertion and is a `Decidable` like it, so the same deciding loop runs built assertions.
 */
import { type Attributes, PAYLOAD_ATTRIBUTE, type Span } from '@tracecheck/model';
import type { Decidable } from '../decide/decide.js';
import { compileAssertion } from '../eval/index.js';
import type { CompiledAssertion, Outcome, RunGraph } from '../eval/index.js';
import type { Steps } from '../eval/steps.js';
import type { BuiltAssertion } from './assertion.js';
import { BuilderError } from './errors.js';
import type { PayloadSchema } from './selection.js';
import { pathKey } from './standard-schema.js';

export { PAYLOAD_ATTRIBUTE };

/** One problem zod found, with the path into the payload. */
export interface PayloadIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** The schema's issue code when it gives one (zod: `invalid_type`, `too_small`, ...), else `invalid`. */
  readonly code: string;
}

/** A span the selection matched that did not count because of its payload. */
export interface PayloadFailure {
  readonly span: Span;
  /**
   * `missing`: no `effect.payload`; `not-json`: not a string of JSON; `truncated`: the SDK cut it at
   * its size cap (`effect.payload.truncated`); `schema`: a schema rejected it.
   */
  readonly reason: 'missing' | 'not-json' | 'truncated' | 'schema';
  /** zod's issues, for `schema`; empty otherwise. */
  readonly issues: readonly PayloadIssue[];
  /** What went wrong, one line: `effect.payload.amount: Invalid input: expected number, received string`. */
  readonly message: string;
}

/** The evaluator's outcome, counting only spans whose payload fits, plus the ones that did not. */
export interface BuiltOutcome extends Outcome {
  /** Matches that a payload check removed, by start time. */
  readonly payloadFailures: readonly PayloadFailure[];
}

/** A built assertion compiled for deciding (`decide`, `decideComplete`). */
export interface CompiledBuilt extends Decidable<BuiltOutcome> {
  readonly built: BuiltAssertion;
  /** The evaluator's compilation of the AST (without the payload checks). */
  readonly compiled: CompiledAssertion;
  evaluate(spans: readonly Span[]): BuiltOutcome;
  evaluateGraph(graph: RunGraph): BuiltOutcome;
  evaluateGraphSteps(graph: RunGraph): Steps<BuiltOutcome>;
}

/** `effect.payload.items[0]["unit price"]`. */
export function formatPayloadPath(path: readonly (string | number)[]): string {
  return PAYLOAD_ATTRIBUTE + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
}

/** A payload problem, before it is tied to a span. */
export type PayloadProblem = Omit<PayloadFailure, 'span'>;

function readPayload(attributes: Attributes): { ok: true; value: unknown } | { ok: false; failure: PayloadProblem } {
  const attr = attributes.get(PAYLOAD_ATTRIBUTE);
  if (attr === undefined || attr.type === 'empty') {
    return { ok: false, failure: { reason: 'missing', issues: [], message: `${PAYLOAD_ATTRIBUTE} is missing (was the effect recorded with a payload?)` } };
  }
  if (attr.type !== 'string') {
    return { ok: false, failure: { reason: 'not-json', issues: [], message: `${PAYLOAD_ATTRIBUTE} is a ${attr.type} attribute, not JSON text` } };
  }
  const truncated = attributes.get(`${PAYLOAD_ATTRIBUTE}.truncated`);
  if (truncated?.type === 'bool' && truncated.value) {
    const size = attributes.get(`${PAYLOAD_ATTRIBUTE}.size`);
    const of = size?.type === 'int' ? ` of ${size.value} bytes` : '';
    const message = `${PAYLOAD_ATTRIBUTE} was cut at the SDK's size cap (payload${of}); raise TRACECHECK_PAYLOAD_LIMIT (option payloadLimit) to check its shape`;
    return { ok: false, failure: { reason: 'truncated', issues: [], message } };
  }
  try {
    return { ok: true, value: JSON.parse(attr.value) };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, failure: { reason: 'not-json', issues: [], message: `${PAYLOAD_ATTRIBUTE} is not JSON (${detail})` } };
  }
}

/** Checks one span's payload against every schema; undefined when it fits them all. */
export function checkPayload(span: Span, schemas: readonly PayloadSchema[]): PayloadFailure | undefined {
  const problem = checkPayloadAttributes(span.attributes, schemas);
  return problem === undefined ? undefined : { span, ...problem };
}

/**
 * Checks the payload in a span's attributes against every schema (Standard Schema's `validate`);
 * undefined when it fits them all. Schemas must answer synchronously.
 */
export function checkPayloadAttributes(attributes: Attributes, schemas: readonly PayloadSchema[]): PayloadProblem | undefined {
  const read = readPayload(attributes);
  if (!read.ok) return read.failure;
  const issues: PayloadIssue[] = [];
  for (const schema of schemas) {
    let result;
    try {
      result = schema['~standard'].validate(read.value);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new BuilderError('payload-schema-threw', `a payload schema threw instead of reporting issues (async refinements are not supported): ${detail}`);
    }
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new BuilderError('payload-schema-threw', 'a payload schema answered asynchronously (async refinements are not supported): payloads are checked synchronously');
    }
    for (const issue of result.issues ?? []) {
      // zod's issues carry a code; the Standard Schema interface does not require one.
      const code = (issue as { code?: unknown }).code;
      issues.push({ path: (issue.path ?? []).map(pathKey), message: issue.message, code: typeof code === 'string' ? code : 'invalid' });
    }
  }
  if (issues.length === 0) return undefined;
  const message = issues.map((i) => `${formatPayloadPath(i.path)}: ${i.message}`).join('; ');
  return { reason: 'schema', issues, message };
}

/**
 * Compiles a built assertion: the evaluator's compiled AST, with matches whose payload does not fit
 * taken out of the count. Payload checks never make `passesEarly` or `hopeless` wrong: a span's
 * payload does not change once it has arrived, so a fitting match stays one.
 */
export function compileBuilt(built: BuiltAssertion): CompiledBuilt {
  const compiled = compileAssertion(built.ast);
  // Deciding re-evaluates on every arrival; spans are immutable, so each is checked once.
  const cache = new WeakMap<Span, PayloadFailure | null>();
  const failureOf = (span: Span): PayloadFailure | undefined => {
    let f = cache.get(span);
    if (f === undefined) {
      f = checkPayload(span, built.payloads) ?? null;
      cache.set(span, f);
    }
    return f ?? undefined;
  };

  const withPayloads = (outcome: Outcome): BuiltOutcome => {
    if (built.payloads.length === 0) return { ...outcome, payloadFailures: [] };
    const matches: Span[] = [];
    const payloadFailures: PayloadFailure[] = [];
    for (const span of outcome.matches) {
      const failure = failureOf(span);
      if (failure === undefined) matches.push(span);
      else payloadFailures.push(failure);
    }
    const count = matches.length;
    const { min, max } = outcome;
    const holds = !outcome.emptyRun && outcome.clauseProblems.length === 0 && count >= min && (max === undefined || count <= max);
    const hopeless = !holds && compiled.monotone && max !== undefined && count > max;
    return { ...outcome, holds, hopeless, count, matches, payloadFailures };
  };

  return {
    built,
    compiled,
    passesEarly: compiled.passesEarly,
    evaluate: (spans) => withPayloads(compiled.evaluate(spans)),
    evaluateGraph: (graph) => withPayloads(compiled.evaluateGraph(graph)),
    *evaluateGraphSteps(graph) {
      return withPayloads(yield* compiled.evaluateGraphSteps(graph));
    },
  };
}

/** Lines for a failure message: `stripe.refund.create · span 00f067aa0ba902b7: effect.payload.amount: ...`. */
export function describePayloadFailures(failures: readonly PayloadFailure[], limit = 10): string[] {
  const lines = failures.slice(0, limit).map((f) => `${f.span.name} · span ${f.span.spanId}: ${f.message}`);
  if (failures.length > limit) lines.push(`… and ${failures.length - limit} more`);
  return lines;
}
