import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spanToJson } from '@tracecheck/model';
import type { ReportInput } from './report.js';
import { reportChecks } from './report-checks.js';
import { writeEvidence } from './report-evidence.js';
import { renderHtml } from './report-html.js';
import type { Coverage } from './report-coverage.js';
import { renderJunit } from './report-junit.js';

/**
 * The report's views for people and CI beside report.json: `junit.xml` (what CI test viewers show),
 * `index.html` (the page to open) and `evidence/<check id>.txt` (each failed or overturned check's
 * full verdict, which junit.xml attaches). `runFile` names a run's spans file (`runs/<id>.json`).
 */
export async function writeReportViews(dir: string, input: ReportInput, runFile: (runId: string) => string, coverage: Coverage): Promise<void> {
  const checks = reportChecks(input.checks, input.overturns);
  const runs = input.store.runs();
  const withSpans = new Set(runs.map((r) => r.id));
  const fileOf = (id: string): string | undefined => (withSpans.has(id) ? runFile(id) : undefined);
  await writeEvidence(dir, checks, fileOf);
  await writeFile(join(dir, 'junit.xml'), renderJunit(checks, { dir, runFile: fileOf, startedAt: input.startedAt }));
  const html = renderHtml({
    command: input.command,
    exitCode: input.exitCode,
    commandExitCode: input.commandExitCode,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    checks,
    runs: runs.map((r) => ({ id: r.id, file: runFile(r.id), spans: input.store.runSpans(r.id).map(spanToJson) })),
    coverage,
  });
  await writeFile(join(dir, 'index.html'), html);
}
