import { parser } from '@grafana/lezer-traceql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSelection } from '@tracecheck/lang';
import { SpanKind } from '@tracecheck/model';
import { LINK_QUERY_BATCH, linkQueries, runQueries, TempoOptionsError, TempoSource } from '@tracecheck/tempo';
import { TempoSim } from './tempo-sim/sim.js';
import { exportTo, hex, sleep, span, zeroLedTraceId } from './tempo-sim/spans.js';

// Every TraceQL query TempoSource sends is parsed by Grafana's own TraceQL grammar
// (@grafana/lezer-traceql, the grammar Grafana's Tempo query editor uses, generated from Tempo's
// pkg/traceql/expr.y) without an error node, and has the shape we mean: one span set filter over the
// attribute or intrinsic we search. The queries are taken from what the source really sent to the
// simulator, for run ids with characters that need escaping and for link searches in full batches.

/** The node names of a parse, and how many error nodes it has. */
function parse(query: string): { names: string[]; errors: number } {
  const names: string[] = [];
  let errors = 0;
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.type.isError) errors++;
      names.push(n.name);
    },
  });
  return { names, errors };
}

describe("the TraceQL TempoSource sends, parsed by Grafana's grammar", () => {
  let sim: TempoSim;
  const sent: string[] = [];
  const runIds = ['plain-run-1', 'with "quotes" and \\backslashes\\', 'ünïcødé run ✓', 'a}b{c || d'];

  beforeAll(async () => {
    sim = new TempoSim();
    await sim.start();
    for (const run of runIds) {
      // A producer with many consumers in traces of their own: the link searches come in full batches.
      const t = zeroLedTraceId();
      const producer = hex(8);
      const consumers = Array.from({ length: LINK_QUERY_BATCH + 3 }, () => span({ name: 'consume', traceId: hex(16), kind: SpanKind.CONSUMER, links: [{ traceId: t, spanId: producer }] }));
      await exportTo([sim.url], [span({ name: 'produce', traceId: t, spanId: producer, run, kind: SpanKind.PRODUCER }), ...consumers]);
      // more traces of the run: its link searches take more than one batch
      await exportTo([sim.url], Array.from({ length: LINK_QUERY_BATCH + 1 }, () => span({ name: 'x', traceId: hex(16), run })));
    }
    await sleep(1100);
    for (const run of runIds) {
      const source = new TempoSource(run, { url: sim.url, visibilityLagMs: 1000 });
      const poll = await source.refresh();
      expect(poll.complete).toBe(true);
      source.close();
    }
    sent.push(...sim.queriesSent());
  });
  afterAll(() => sim.stop());

  it('sent run searches and full batches of link searches', () => {
    expect(sent.filter((q) => q.startsWith('{ span.test.run.id')).length).toBe(runIds.length);
    expect(sent.filter((q) => q.startsWith('{ resource.test.run.id')).length).toBe(runIds.length);
    expect(sent.some((q) => q.split('link:traceID').length - 1 === LINK_QUERY_BATCH)).toBe(true);
  });

  it('every query parses without an error node, as one span set filter', () => {
    expect(sent.length).toBeGreaterThan(0);
    for (const q of sent) {
      const { names, errors } = parse(q);
      expect({ q, errors }).toEqual({ q, errors: 0 });
      expect(names.slice(0, 4)).toEqual(['TraceQL', 'SpansetPipelineExpression', 'SpansetPipeline', 'SpansetFilter']);
      expect(names.filter((n) => n === 'SpansetFilter')).toHaveLength(1);
      if (q.includes('link:traceID')) {
        expect(names).toContain('IntrinsicField');
        expect(names).not.toContain('AttributeField');
      } else {
        expect(names).toContain('AttributeField');
        expect(names).toContain(q.startsWith('{ span.') ? 'Span' : 'Resource');
      }
      // and our own language reads it (the simulator evaluates it with it)
      expect(() => validateSelection(q)).not.toThrow();
    }
  });

  it('the check is not vacuous: a broken query has error nodes', () => {
    expect(parse('{ span.test.run.id = "x" ').errors).toBeGreaterThan(0);
    expect(parse('{ span.test.run.id = "x\\ty" }').errors).toBeGreaterThan(0); // Grafana's grammar knows only \\ and \"
  });

  it('the queries built directly parse too (every batch size)', () => {
    const ids = Array.from({ length: 2 * LINK_QUERY_BATCH + 1 }, () => hex(16));
    for (const q of [...runQueries('r'), ...linkQueries(ids), ...linkQueries(ids.slice(0, 1))]) expect(parse(q).errors).toBe(0);
  });

  it('a run id with control characters is refused: no TraceQL string holds it for both Tempo and Grafana', () => {
    expect(() => runQueries('a\nb')).toThrow(TempoOptionsError);
    expect(() => new TempoSource('a\tb', { url: 'http://127.0.0.1:1' })).toThrow(/control characters/);
  });
});
