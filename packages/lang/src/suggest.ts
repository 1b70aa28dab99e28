/**
 * "Did you mean" for fields the parser could not resolve: unknown intrinsics, unknown scopes, and
 * the TraceQL fields we leave out. Produces the checker's message and code for an UnresolvedRef.
 */
import type { UnresolvedRef } from './ast.js';
import type { CheckCode } from './errors.js';
import { ATTRIBUTE_SCOPES, INTRINSICS, INTRINSIC_SCOPES, UNSUPPORTED_FIELDS } from './intrinsics.js';

/** Edit distance counting insert, delete, substitute and swapping two neighbours (`nmae` -> `name`) as one. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : Math.floor(word.length / 3);
  return bestDistance <= limit ? best : undefined;
}

const UNSCOPED_WORDS = [...INTRINSICS.keys()].filter((n) => !n.includes(':'));
const LITERAL_WORDS = ['true', 'false', 'nil', 'ok', 'error', 'unset', 'unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function namesIn(scope: string): string[] {
  return [...INTRINSICS.keys()].filter((n) => n.startsWith(`${scope}:`)).map((n) => n.slice(scope.length + 1));
}

/** Code and message for an unresolved field. */
export function explainUnresolved(node: UnresolvedRef): { code: CheckCode; message: string } {
  const { form, name } = node;
  const scope = node.scope ?? '';
  if (form === 'word') {
    if (UNSUPPORTED_FIELDS.has(name)) {
      return { code: 'unsupported', message: `'${name}' is not supported in assertions (use structural operators such as { ... } > { ... } for parent/child relations)` };
    }
    const scoped = INTRINSIC_SCOPES.filter((s) => namesIn(s).includes(name)).map((s) => `'${s}:${name}'`);
    if (scoped.length > 0) return { code: 'unknown-intrinsic', message: `unknown intrinsic '${name}'; did you mean ${scoped.join(' or ')}?` };
    const close = nearest(name, [...UNSCOPED_WORDS, ...LITERAL_WORDS]);
    const attr = `an attribute needs a scope: '.${name}' (span, then resource) or 'span.${name}'`;
    return { code: 'unknown-intrinsic', message: close === undefined ? `unknown intrinsic '${name}'; ${attr}` : `unknown intrinsic '${name}'; did you mean '${close}'? (${attr})` };
  }
  if (form === 'intrinsic') {
    if ((INTRINSIC_SCOPES as readonly string[]).includes(scope)) {
      const elsewhere = INTRINSIC_SCOPES.filter((s) => s !== scope && namesIn(s).includes(name)).map((s) => `'${s}:${name}'`);
      const close = nearest(name, namesIn(scope));
      const suggestion = elsewhere.length > 0 ? ` did you mean ${elsewhere.join(' or ')}?` : close !== undefined ? ` did you mean '${scope}:${close}'?` : '';
      return { code: 'unknown-intrinsic', message: `'${scope}:' has no intrinsic '${name}' (it has ${namesIn(scope).join(', ')});${suggestion}`.replace(/;$/, '') };
    }
    if (scope === 'resource') return { code: 'unknown-scope', message: `resources have no intrinsics; a resource attribute is written 'resource.${name}'` };
    const close = nearest(scope, INTRINSIC_SCOPES);
    const known = INTRINSIC_SCOPES.map((s) => `${s}:`).join(', ');
    return { code: 'unknown-scope', message: `unknown intrinsic scope '${scope}:'${close !== undefined ? `; did you mean '${close}:${name}'?` : ` (scopes are ${known})`}` };
  }
  if (scope === 'parent') {
    return { code: 'unsupported', message: `the 'parent.' scope is not supported in assertions; use structural operators: { ... } > { .${name} ... }` };
  }
  const close = nearest(scope, ATTRIBUTE_SCOPES);
  const unscoped = `for an attribute named '${scope}.${name}' write '.${scope}.${name}'`;
  return { code: 'unknown-scope', message: close !== undefined ? `unknown attribute scope '${scope}.'; did you mean '${close}.${name}'? (${unscoped})` : `unknown attribute scope '${scope}.'; ${unscoped}` };
}
