/**
 * Typos in negative checks. `no "email.sent"` passes when the service sends `email.send`: a check
 * that allows zero matches cannot tell a misspelt name from an effect that did not happen. When such a
 * check passes and names a span that no run ever had, its verdict carries a warning with the nearest
 * names seen.
 */
import type { Assertion, Expr, Selection } from '../ast.js';
import { quantifierBounds } from '../ast.js';
import { nearest } from '../suggest.js';

/** Span names the selection compares `name` (or `span:name`) with `=`. */
export function namesCompared(selection: Selection): string[] {
  const out = new Set<string>();
  const isName = (e: Expr): boolean => e.type === 'intrinsic' && (e.name === 'name' || e.name === 'span:name');
  const inExpr = (e: Expr): void => {
    if (e.type === 'binary') {
      if (e.op === '=' && isName(e.left) && e.right.type === 'string') out.add(e.right.value);
      else if (e.op === '=' && isName(e.right) && e.left.type === 'string') out.add(e.left.value);
      inExpr(e.left);
      inExpr(e.right);
    } else if (e.type === 'unary') inExpr(e.operand);
  };
  const inSelection = (s: Selection): void => {
    if (s.type === 'filter') {
      if (s.expr !== null) inExpr(s.expr);
    } else {
      inSelection(s.left);
      inSelection(s.right);
    }
  };
  inSelection(selection);
  return [...out];
}

/** Warnings for a passing check that allows zero matches and names spans no run ever had. */
export function unseenNameWarnings(ast: Assertion, pass: boolean, seen: ReadonlySet<string> | undefined): string[] {
  if (!pass || seen === undefined || quantifierBounds(ast.quantifier).min !== 0) return [];
  const warnings: string[] = [];
  for (const name of namesCompared(ast.selection)) {
    if (seen.has(name)) continue;
    const close = nearest(name, seen);
    warnings.push(`no span named '${name}' was seen in any run${close === undefined ? '' : `; did you mean '${close}'?`} (a misspelt name makes this check pass whatever happens)`);
  }
  return warnings;
}
