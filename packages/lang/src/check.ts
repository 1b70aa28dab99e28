/**
 * The checker: meaning errors in a parsed (or built) assertion, before anything runs. Errors mean the
 * assertion must not run (CLI exit 2, HTTP 400); hints flag valid text that is likely a mistake.
 * Field-expression type rules live in check-expr.ts.
 */
import type { Assertion, Loc, Selection } from './ast.js';
import { checkFilterExpr, mixingMessage } from './check-expr.js';
import type { Reporter } from './check-expr.js';
import { CheckError, positionAt } from './errors.js';
import type { CheckCode, CheckHint, Diagnostic } from './errors.js';
import { formatSelection } from './format.js';
import { LANGUAGE_LIMITS } from './token-stream.js';

/**
 * Height of a tree (a leaf is 1), walked without recursion: a tree built in code never went
 * through the parser's nesting limit, and every other pass recurses.
 */
export function treeHeight(root: object): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > LANGUAGE_LIMITS.maxNesting + 3) break; // deeper than any root allows: no need to look further
    const n = node as Record<string, unknown>;
    for (const key of ['selection', 'left', 'right', 'operand', 'expr']) {
      const child = n[key];
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
    if (Array.isArray(n.clauses)) for (const c of n.clauses as unknown[]) stack.push([c, depth + 1]);
  }
  return max;
}

/** The checker's error for a tree (built in code) deeper than the parser would accept; undefined when within. */
function tooDeep(root: Assertion | Selection, source: string | undefined): CheckError | undefined {
  // The assertion node itself and a clause node add a level the parser does not count.
  const allowed = LANGUAGE_LIMITS.maxNesting + (root.type === 'assertion' ? 2 : 0);
  if (treeHeight(root) <= allowed) return undefined;
  return new CheckError('too-deep', `the assertion nests more than ${LANGUAGE_LIMITS.maxNesting} levels deep (parentheses, ! and - prefixes, chained operators such as a && b && ...); split it into several assertions`, { source });
}

/** Checks an assertion; `source` (the text it was parsed from) adds line and column to diagnostics. */
export function checkAssertion(ast: Assertion, source?: string): Diagnostic[] {
  const deep = tooDeep(ast, source);
  if (deep !== undefined) return [deep];
  const r = new Collector(source);
  const q = ast.quantifier;
  if ('count' in q && (!Number.isSafeInteger(q.count) || q.count < 0)) {
    r.error('invalid-literal', `a count must be a whole number >= 0, got ${q.count}`, q.loc);
  }
  if (q.kind === 'at-least' && q.count === 0) r.hint('always-true', "'at least 0' holds for every run; did you mean 'at least 1' (or 'some')?", q.loc);
  checkSel(ast.selection, r);
  for (const c of ast.clauses) {
    if (c.type === 'within') {
      if (c.nanos < 0n) r.error('invalid-literal', 'within needs a duration >= 0', c.loc);
    } else checkSel(c.selection, r);
  }
  return r.diagnostics;
}

/** Checks a bare selection. */
export function checkSelection(sel: Selection, source?: string): Diagnostic[] {
  const deep = tooDeep(sel, source);
  if (deep !== undefined) return [deep];
  const r = new Collector(source);
  checkSel(sel, r);
  return r.diagnostics;
}

function checkSel(s: Selection, r: Reporter): void {
  if (s.type === 'filter') {
    if (s.expr !== null) checkFilterExpr(s.expr, r);
    return;
  }
  const l = s.left;
  if ((s.op === '&&' || s.op === '||') && l.type === 'spanset' && (l.op === '&&' || l.op === '||') && l.op !== s.op && l.loc !== undefined && l.loc.parens !== true) {
    r.error('mixed-and-or', mixingMessage(s.op, { op: l.op, left: formatSelection(l.left), right: formatSelection(l.right) }, formatSelection(s.right)), s.loc);
  }
  checkSel(s.left, r);
  checkSel(s.right, r);
}

class Collector implements Reporter {
  readonly diagnostics: Diagnostic[] = [];
  errorCount = 0;

  constructor(private readonly source: string | undefined) {}

  error(code: CheckCode, message: string, loc: Loc | undefined): void {
    this.errorCount++;
    this.diagnostics.push(new CheckError(code, message, { offset: loc?.start, end: loc?.end, source: this.source }));
  }

  hint(code: CheckCode, message: string, loc: Loc | undefined): void {
    const pos = loc !== undefined && this.source !== undefined ? positionAt(this.source, loc.start) : undefined;
    const h: CheckHint = { severity: 'hint', code, message, offset: loc?.start, end: loc?.end, line: pos?.line, column: pos?.column };
    this.diagnostics.push(h);
  }
}
