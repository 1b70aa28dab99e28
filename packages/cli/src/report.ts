import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runSummaryToJson, type SpanSource, spanToJson } from '@tracecheck/model';
import type { Overturn } from '@tracecheck/lang';
import type { CheckRecord, SnapshotRecord } from '@tracecheck/receiver';
import { effectCoverage } from './report-coverage.js';
import { overturnSummary } from './report-checks.js';
import { writeReportViews } from './report-views.js';

/** What `tracecheck run --report` knows when the command has ended. */
export interface ReportInput {
  command: string[];
  /** tracecheck run's exit code: the command's, or 1 when it succeeded but a check was overturned. */
  exitCode: number;
  commandExitCode: number;
  startedAt: number;
  endedAt: number;
  store: SpanSource;
  checks: readonly CheckRecord[];
  overturns: readonly Overturn[];
  /** Effect snapshots the tests recorded (their effects count as guarded). */
  snapshots: readonly SnapshotRecord[];
}

/** A file name for a run id: run ids are free text, file names are not. */
function fileName(runId: string): string {
  return `${encodeURIComponent(runId).replace(/\*/g, '%2A')}.json`;
}

/**
 * Writes `report.json` (command, exit code, timing, runs with their span counts and files, every
 * check the receiver decided) and `runs/<id>.json` (a run's spans, as `GET /api/runs/{id}/spans`
 * returns them). Returns a one-line summary.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<string> {
  await mkdir(join(dir, 'runs'), { recursive: true });
  const runs = input.store.runs();
  for (const r of runs) {
    const body = { run: r.id, spans: input.store.runSpans(r.id).map(spanToJson) };
    await writeFile(join(dir, 'runs', fileName(r.id)), `${JSON.stringify(body, null, 2)}\n`);
  }
  const overturnOf = new Map(input.overturns.map((o) => [o.checkId, o]));
  const failed = input.checks.filter((c) => !c.pass || overturnOf.has(c.id)).length;
  const list = input.checks.map((c) => {
    const o = overturnOf.get(c.id);
    return {
      ...c,
      decidedAt: new Date(c.decidedAt).toISOString(),
      ...(o === undefined
        ? {}
        : {
            overturned: {
              summary: overturnSummary(o),
              by: o.by,
              overturnedAt: new Date(o.overturnedAt).toISOString(),
              message: o.message,
            },
          }),
    };
  });
  // Overturned checks first: they are the false passes this report exists to show.
  list.sort((a, b) => Number('overturned' in b) - Number('overturned' in a));
  const warnings = input.checks.flatMap((c) => c.warnings.map((w) => ({ run: c.run, assertion: c.assertion, warning: w })));
  const report = {
    command: input.command,
    exitCode: input.exitCode,
    commandExitCode: input.commandExitCode,
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    runs: runs.map((r) => ({ ...runSummaryToJson(r), file: `runs/${fileName(r.id)}` })),
    checks: { total: input.checks.length, failed, overturned: input.overturns.length, list },
    warnings,
    coverage: effectCoverage(input.store, input.checks, input.snapshots),
  };
  await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeReportViews(dir, input, (id) => `runs/${fileName(id)}`, report.coverage);
  const overturned = input.overturns.length > 0 ? ` (${input.overturns.length} overturned)` : '';
  return `${runs.length} run${runs.length === 1 ? '' : 's'}, ${input.checks.length} check${input.checks.length === 1 ? '' : 's'}, ${failed} failed${overturned}`;
}
