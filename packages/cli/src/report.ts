import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SpanStore, spanToJson } from '@tracecheck/model';
import type { CheckRecord } from '@tracecheck/receiver';

/** What `tracecheck run --report` knows when the command has ended. */
export interface ReportInput {
  command: string[];
  exitCode: number;
  startedAt: number;
  endedAt: number;
  store: SpanStore;
  checks: readonly CheckRecord[];
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
  const failed = input.checks.filter((c) => !c.pass).length;
  const report = {
    command: input.command,
    exitCode: input.exitCode,
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    runs: runs.map((r) => ({ id: r.id, spans: r.spans, traces: r.traces, firstSeen: new Date(r.firstSeen).toISOString(), lastSeen: new Date(r.lastSeen).toISOString(), file: `runs/${fileName(r.id)}` })),
    checks: { total: input.checks.length, failed, list: input.checks.map((c) => ({ ...c, decidedAt: new Date(c.decidedAt).toISOString() })) },
  };
  await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return `${runs.length} run${runs.length === 1 ? '' : 's'}, ${input.checks.length} check${input.checks.length === 1 ? '' : 's'}, ${failed} failed`;
}
