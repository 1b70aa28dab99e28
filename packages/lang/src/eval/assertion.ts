/**
 * An assertion compiled for deciding: `evaluate(spans)` counts the distinct spans the selection
 * matches (per trace, united over the run), narrowed by the clauses, against the quantifier's range.
 * The outcome carries what the verdict needs to explain itself.
 */
import type { Span } from '@tracecheck/model';
import type { Assertion } from '../ast.js';
import { quantifierBounds } from '../ast.js';
import type { Decidable, DecidableOutcome } from '../decide/decide.js';
import type { CompiledClause, Exclusion } from './clauses.js';
import { compileClause } from './clauses.js';
import type { RunGraph } from './graph.js';
import { buildRunGraph } from './graph.js';
import { RegexCache } from './regex.js';
import type { CompiledSelection } from './selection.js';
import { compileSelection } from './selection.js';
import { runSteps, sortByStartSteps, type Steps } from './steps.js';

/** The result of evaluating an assertion against the spans a run has so far. */
export interface Outcome extends DecidableOutcome {
  /** Distinct spans counted: matched by the selection and kept by every clause. */
  readonly count: number;
  /** The quantifier's range; `max` undefined is unbounded. */
  readonly min: number;
  readonly max: number | undefined;
  /** The counted spans, by start time. */
  readonly matches: readonly Span[];
  /** What the selection matched before the clauses narrowed it, by start time. */
  readonly selected: readonly Span[];
  /** Matches a clause removed, with the timing that excluded them. */
  readonly excluded: readonly Exclusion[];
  /** Why a clause failed the check (e.g. `after { ... }: no span matched it`). */
  readonly clauseProblems: readonly string[];
  /** No span of the run had arrived: the check fails whatever the quantifier. */
  readonly emptyRun: boolean;
  /** The run as evaluated, and the assertion, so diagnostics can look further (nearest misses, tree). */
  readonly graph: RunGraph;
  readonly assertion: CompiledAssertion;
}

/** A compiled assertion; it implements deciding's `Decidable`. */
export interface CompiledAssertion extends Decidable<Outcome> {
  readonly ast: Assertion;
  readonly selection: CompiledSelection;
  readonly clauses: readonly CompiledClause[];
  /** No later span can remove a match (see `CompiledSelection.monotone`; `within` can, as the run's start moves earlier). */
  readonly monotone: boolean;
  evaluate(spans: readonly Span[]): Outcome;
  /** Evaluates against a graph already built (the verdict renderer, callers holding a graph). */
  evaluateGraph(graph: RunGraph): Outcome;
  /** `evaluateGraph` in steps (steps.ts), for deciding over a large run. */
  evaluateGraphSteps(graph: RunGraph): Steps<Outcome>;
}

/** Compiles an assertion AST (checked: unresolved fields and bad regexes throw `EvalCompileError`). */
export function compileAssertion(ast: Assertion): CompiledAssertion {
  const regexes = new RegexCache();
  const selection = compileSelection(ast.selection, regexes);
  const clauses = ast.clauses.map((c) => compileClause(c, regexes));
  const { min, max } = quantifierBounds(ast.quantifier);
  const monotone = selection.monotone && clauses.every((c) => c.clause.type !== 'within' && (c.selection?.monotone ?? true));

  const compiled: CompiledAssertion = {
    ast,
    selection,
    clauses,
    monotone,
    passesEarly: max === undefined && monotone,
    evaluate: (spans) => compiled.evaluateGraph(buildRunGraph(spans)),
    evaluateGraph: (graph) => runSteps(compiled.evaluateGraphSteps(graph)),
    *evaluateGraphSteps(graph) {
      const selected = yield* sortByStartSteps([...(yield* selection.inRunSteps(graph))]);
      let matches = selected;
      const excluded: Exclusion[] = [];
      const clauseProblems: string[] = [];
      for (const clause of clauses) {
        const r = yield* clause.applySteps(matches, graph);
        matches = r.kept;
        excluded.push(...r.excluded);
        if (r.problem !== undefined) clauseProblems.push(r.problem);
      }
      const count = matches.length;
      const emptyRun = graph.spans.length === 0;
      const inRange = count >= min && (max === undefined || count <= max);
      const holds = !emptyRun && clauseProblems.length === 0 && inRange;
      // Too many matches, and none can go away: no later span can make this pass.
      const hopeless = !holds && monotone && max !== undefined && count > max;
      return { holds, hopeless, count, min, max, matches, selected, excluded, clauseProblems, emptyRun, graph, assertion: compiled };
    },
  };
  return compiled;
}
