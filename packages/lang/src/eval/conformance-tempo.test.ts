/**
 * Evaluation conformance with Tempo: cases transcribed from Tempo's own evaluation tests
 * (src/conformance/tempo-eval/), each query Q run as `some Q` over the case's spans. A case either
 * returns what Tempo returns, or is a documented difference: then it returns what the case says we
 * do, and README.md lists it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAssertion } from '../check.js';
import { CheckError } from '../errors.js';
import { parseAssertion } from '../parser.js';
import { tempoEvalCases } from '../conformance/tempo-eval/index.js';
import { buildFixture } from '../conformance/tempo-eval/fixture.js';
import type { EvalCase, Expectation, OurBehaviour } from '../conformance/tempo-eval/types.js';
import { compileAssertion } from './assertion.js';

type Result = { spans: string[] } | { trace: boolean } | { span: string; matched: boolean } | 'rejected';

/** What we return for a case, in the shape of what Tempo's test observes. */
function run(c: EvalCase): Result {
  const text = `some ${c.query}`;
  const ast = parseAssertion(text);
  if (checkAssertion(ast, text).some((d) => d instanceof CheckError)) return 'rejected';
  const { spans, label } = buildFixture(c.spans);
  const matches = compileAssertion(ast).evaluate(spans).matches;
  const shape: Expectation | OurBehaviour = c.difference?.ours ?? c.expect;
  const labels = matches.map((s) => label.get(s)!).sort();
  if (shape !== 'rejected' && 'trace' in shape) return { trace: labels.length > 0 };
  if (shape !== 'rejected' && 'span' in shape) return { span: shape.span, matched: labels.includes(shape.span) };
  return { spans: labels };
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('evaluation as Tempo does it', () => {
  it.each(tempoEvalCases.map((c) => [`${c.source}: ${c.query}`, c] as const))('%s', (_, c) => {
    const actual = run(c);
    if (c.difference === undefined) {
      expect(actual).toEqual(c.expect);
    } else {
      expect(actual).toEqual(c.difference.ours);
      expect(actual).not.toEqual(c.expect);
    }
  });
});

describe('the transcribed table', () => {
  it('lists every documented difference in README.md', () => {
    const missing = tempoEvalCases.filter((c) => c.difference !== undefined && !readme.includes(c.query)).map((c) => c.query);
    expect(missing).toEqual([]);
  });

  it('states in README.md how many cases come from each Tempo file', () => {
    const byFile = new Map<string, number>();
    for (const c of tempoEvalCases) {
      const file = c.source.split(' ')[0]!;
      byFile.set(file, (byFile.get(file) ?? 0) + 1);
    }
    for (const [file, n] of byFile) expect(readme).toContain(`| \`${file}\` | ${n} |`);
    expect(readme).toContain(`| total | ${tempoEvalCases.length} |`);
  });

  it('gives every difference a reason and every case a Tempo test', () => {
    for (const c of tempoEvalCases) {
      expect(c.source).toMatch(/^(pkg|tempodb)\/[\w/]+_test\.go \w+/);
      if (c.difference !== undefined) expect(c.difference.reason.length).toBeGreaterThan(20);
    }
  });
});
