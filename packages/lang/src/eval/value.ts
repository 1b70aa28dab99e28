/**
 * Run-time values of field expressions. Attribute values stay the model's `AnyValue` (no copy on
 * lookup); intrinsics add durations, statuses and kinds. `undefined` is nil: a missing attribute, an
 * `empty` AnyValue, or a field the span does not have (`trace:rootName` before the root arrived).
 */
import type { AnyValue } from '@tracecheck/model';
import type { KindValue, StatusValue } from '../ast.js';
import { formatDuration } from '../duration.js';

export type Value =
  | AnyValue
  | { readonly type: 'duration'; readonly value: bigint }
  | { readonly type: 'status'; readonly value: StatusValue }
  | { readonly type: 'kind'; readonly value: KindValue }
  | undefined;

export const TRUE: Value = { type: 'bool', value: true };
export const FALSE: Value = { type: 'bool', value: false };

/** OTLP status codes by number. */
export const STATUS_NAMES: readonly StatusValue[] = ['unset', 'ok', 'error'];
/** OTLP span kinds by number. */
export const KIND_NAMES: readonly KindValue[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The value of an attribute as the language sees it: an `empty` AnyValue is absent, as in Tempo. */
export function attributeValue(v: AnyValue | undefined): Value {
  return v === undefined || v.type === 'empty' ? undefined : v;
}

export function bool(b: boolean): Value {
  return b ? TRUE : FALSE;
}

/** A condition holds only when its value is the boolean true (a bare `{ .flag }` included). */
export function isTrue(v: Value): boolean {
  return v !== undefined && v.type === 'bool' && v.value;
}

/** Prints a value for diagnostics, in TraceQL literal syntax where there is one. */
export function formatValue(v: Value): string {
  if (v === undefined) return 'nil';
  switch (v.type) {
    case 'string': return JSON.stringify(v.value);
    case 'bool': return String(v.value);
    case 'int': return v.value.toString();
    case 'double': return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    case 'duration': return formatDuration(v.value);
    case 'status':
    case 'kind': return v.value;
    case 'bytes': return `bytes(${v.value.length})`;
    case 'array': return `[${v.value.map((e) => formatValue(attributeValue(e))).join(', ')}]`;
    case 'kvlist': return `{${[...v.value].map(([k, e]) => `${k}: ${formatValue(attributeValue(e))}`).join(', ')}}`;
    case 'empty': return 'nil';
  }
}
