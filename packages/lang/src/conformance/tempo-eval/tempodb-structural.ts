/**
 * Structural cases from tempodb/tempodb_search_test.go traceQLStructural, over makeExpectedTrace:
 * RootSpan (.parent) with children MySpan (.child) and child2 (.child2), and BrokenSpan (.broken),
 * which no root reaches and so takes part in no relation.
 */
import { expectedTrace } from './fixture-tempodb.js';
import type { EvalCase } from './types.js';

const SOURCE = 'tempodb/tempodb_search_test.go traceQLStructural';

const returns = (query: string, spans: string[]): EvalCase => ({ source: SOURCE, query, spans: expectedTrace, expect: { spans } });
const noTrace = (query: string): EvalCase => ({ source: SOURCE, query, spans: expectedTrace, expect: { trace: false } });

const searchesThatMatch: EvalCase[] = [
  returns('{ .parent } >> { .child }', ['MySpan']),
  returns('{ .child } << { .parent }', ['RootSpan']),
  returns('{ .parent } > { .child }', ['MySpan']),
  returns('{ .child } < { .parent }', ['RootSpan']),
  returns('{ .child } !> { .parent }', ['RootSpan']),
  returns('{ .child } !>> { .parent }', ['RootSpan']),
  returns('{ .child } !~ { .parent }', ['RootSpan']),
  returns('{ .parent } &>> { .child }', ['MySpan', 'RootSpan']),
  returns('{ .child } &<< { .parent }', ['MySpan', 'RootSpan']),
  returns('{ .parent } &> { .child }', ['MySpan', 'RootSpan']),
  returns('{ .child } &< { .parent }', ['MySpan', 'RootSpan']),
  {
    source: SOURCE, query: '{  } !~ {  }', spans: expectedTrace, expect: { spans: ['RootSpan'] },
    difference: {
      reason: "before evaluating, Tempo's storage drops every span that has neither nested-set numbers nor a value for a field the query reads (the block's attributesMatched count is 0); with only empty filters that removes BrokenSpan, which no root reaches. Its evaluator would keep it (a span without a parent number has no sibling, so !~ returns it), and so do we",
      ours: { spans: ['BrokenSpan', 'RootSpan'] },
    },
  },
  returns('{ .parent } !< { .child }', ['MySpan']),
  returns('{ .parent } !<< { .child }', ['MySpan']),
  returns('{ .child } ~ { .child2 }', ['child2']),
  returns('{ .child } &~ { .child2 }', ['MySpan', 'child2']),
  returns('{ .parent } >> {}', ['MySpan', 'child2']),
  returns('{} >> { span.foo != `baz` }', ['MySpan']),
  returns('{ name = `does-not-exist` } !< { name = `MySpan` }', ['MySpan']),
  returns('{ name = `does-not-exist` } !> { name = `MySpan` }', ['MySpan']),
];

const searchesThatDontMatch: EvalCase[] = [
  '{ .child } >> { .parent }', '{ .child } > { .parent }', '{ .child } ~ { .parent }', '{ .child } ~ { .child }',
  '{ .broken} >> {}', '{ .broken} > {}', '{ .broken} ~ {}', '{} >> {.broken}', '{} > {.broken}', '{} ~ {.broken}',
  '{ .child } !< { .parent }', '{ .parent } !> { .child }', '{ .child } !~ { .child2 }',
  '{ .child } &>> { .parent }', '{ .child } &> { .parent }', '{ .child } &~ { .parent }', '{ .child } &~ { .child }',
  '{ .broken} &>> {}', '{ .broken} &> {}', '{ .broken} &~ {}', '{} &>> {.broken}', '{} &> {.broken}', '{} &~ {.broken}',
  '{} >> { span.does-not-exist != `bar`}',
].map(noTrace);

export const tempodbStructuralCases: readonly EvalCase[] = [...searchesThatMatch, ...searchesThatDontMatch];
