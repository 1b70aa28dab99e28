/**
 * Checker advice about the values compared with an intrinsic: a word that is no status or kind
 * (`{ status = failed }`), a status written as its OTLP code (`{ status = 2 }`, valid: Tempo's storage
 * compares the code), and a bare number next to a duration (`{ duration > 5 }`, valid: Tempo reads it
 * as nanoseconds, which is rarely what was meant).
 */
import type { BinaryExpr, Expr } from './ast.js';
import type { Reporter } from './check-expr.js';
import { formatDuration } from './duration.js';
import { formatExpr } from './format.js';
import { KIND_VALUES, STATUS_VALUES, intrinsicInfo } from './intrinsics.js';
import type { ValueType } from './intrinsics.js';
import { nearest } from './suggest.js';

const ENUM_VALUES = { status: STATUS_VALUES, kind: KIND_VALUES } as const;
const ORDERING = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** The enum type of an expression when it is a status or kind intrinsic. */
function enumType(e: Expr): 'status' | 'kind' | undefined {
  if (e.type !== 'intrinsic') return undefined;
  const t = intrinsicInfo(e.name)?.type;
  return t === 'status' || t === 'kind' ? t : undefined;
}

function prose(words: readonly string[]): string {
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * `{ status = failed }`: a bare word next to a status or kind is a misspelt value, not a field, so
 * the error lists the values (and the nearest one). Reports and returns true when it applies.
 */
export function reportUnknownEnumWord(e: BinaryExpr, r: Reporter): boolean {
  for (const [field, word] of [[e.left, e.right], [e.right, e.left]] as const) {
    const t = enumType(field);
    if (t === undefined || word.type !== 'unresolved' || word.form !== 'word') continue;
    const values = ENUM_VALUES[t];
    const close = nearest(word.name, values);
    const suggestion = close === undefined ? '' : ` Did you mean '${close}'?`;
    r.error('invalid-literal', `'${word.name}' is not a ${t}: ${t} values are ${prose(values)}.${suggestion}`, word.loc ?? e.loc);
    return true;
  }
  return false;
}

/** The number of a literal int or float, negated ones included. */
function bareNumber(e: Expr): number | undefined {
  if (e.type === 'int') return Number(e.value);
  if (e.type === 'float') return e.value;
  if (e.type === 'unary' && e.op === '-') {
    const n = bareNumber(e.operand);
    return n === undefined ? undefined : -n;
  }
  return undefined;
}

/** Hints on a well-typed comparison: a status written as its code, a duration written without a unit. */
export function hintComparisonValues(e: BinaryExpr, lt: ValueType, rt: ValueType, r: Reporter): void {
  if (!ORDERING.has(e.op)) return;
  for (const [field, fieldType, value, valueType] of [[e.left, lt, e.right, rt], [e.right, rt, e.left, lt]] as const) {
    if (fieldType === 'status' && valueType === 'int' && value.type === 'int') {
      const name = STATUS_VALUES_BY_CODE[Number(value.value)];
      const message = name === undefined
        ? `${formatExpr(e)} never matches: status codes are 0 (unset), 1 (ok) and 2 (error); write ${formatExpr(field)} ${e.op} error`
        : `${formatExpr(e)} compares the OTLP status code; ${value.value} is ${name}: write ${formatExpr(field)} ${e.op} ${name}`;
      r.hint('status-code', message, e.loc);
      return;
    }
    const n = bareNumber(value);
    if (fieldType === 'duration' && n !== undefined && n !== 0) {
      const text = formatExpr(value);
      const whole = Number.isSafeInteger(n) && Math.abs(n) >= 1000;
      const fix = whole ? `write ${formatDuration(BigInt(n))} to say so` : `write ${text}ms or ${text}s if you meant milliseconds or seconds`;
      r.hint('unitless-duration', `${text} next to ${formatExpr(field)} counts nanoseconds, as in Tempo (a number without a unit is nanoseconds); ${fix}`, value.loc ?? e.loc);
      return;
    }
  }
}

/** OTLP status codes. */
const STATUS_VALUES_BY_CODE: Readonly<Record<number, string>> = { 0: 'unset', 1: 'ok', 2: 'error' };
