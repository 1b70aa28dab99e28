import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportCheck } from './report-checks.js';

/**
 * The evidence file of a check that did not hold (`evidence/<check id>.txt`): what it was, where it
 * was made, the explanation (the overturn's, then the original verdict's) and the whole verdict as
 * JSON (matches and nearest misses with their attributes). junit.xml attaches it to the failure.
 */
export function evidenceText(c: ReportCheck, runFile: string | undefined): string {
  const r = c.record;
  const head = [
    `check ${r.id}: ${c.status.toUpperCase()}`,
    `assertion: ${r.assertion}`,
    `run: ${r.run}${runFile === undefined ? ' (no spans)' : ` (spans: ${runFile})`}`,
    ...(c.location === undefined ? [] : [`at: ${c.location}`]),
    ...(r.caller?.test === undefined ? [] : [`test: ${r.caller.test}`]),
    `decided: ${new Date(r.decidedAt).toISOString()} (${r.reason}, waited ${r.waitedMs} ms)`,
    ...(c.overturnSummary === undefined ? [] : [`overturned: ${c.overturnSummary}`]),
  ];
  const parts = [head.join('\n')];
  if (c.overturn !== undefined) parts.push(`--- overturn ---\n${c.overturn.message}`, `--- verdict when it passed ---\n${r.message}`);
  else parts.push(`--- verdict ---\n${r.message}`);
  if (r.warnings.length > 0) parts.push(`--- warnings ---\n${r.warnings.join('\n')}`);
  parts.push(`--- verdict (JSON) ---\n${JSON.stringify(r.verdict, null, 2)}`);
  return `${parts.join('\n\n')}\n`;
}

/** Writes the evidence file of every check that has one. */
export async function writeEvidence(dir: string, checks: readonly ReportCheck[], runFileOf: (runId: string) => string | undefined): Promise<void> {
  const withEvidence = checks.filter((c) => c.evidence !== undefined);
  if (withEvidence.length === 0) return;
  await mkdir(join(dir, 'evidence'), { recursive: true });
  for (const c of withEvidence) await writeFile(join(dir, c.evidence!), evidenceText(c, runFileOf(c.record.run)));
}
