/**
 * Evidence of a failed check or an overturned pass, written beside the test's other output
 * (`testInfo.outputPath()`) and attached by path, so the HTML report links the files and the JUnit
 * reporter lists them (`[[ATTACHMENT|...]]`) for CI test viewers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import type { TestInfo } from '@playwright/test';
import type { TestRun } from '@tracecheck/client';
import { spanToJson } from '@tracecheck/model';

export const RUN_ANNOTATION = 'tracecheck run';

/** Per test: how many evidence files were written, so a second failure (a soft expect) gets its own. */
const written = new WeakMap<TestInfo, number>();

export interface EvidencePaths {
  text: string;
  spans: string | undefined;
}

/**
 * Writes `tracecheck-<n>-<kind>.txt` (the explanation, plain text) and `tracecheck-<n>-spans.json`
 * (the run's spans as `GET /api/runs/{id}/spans` answers them, which `tracecheck check --file`
 * reads), attaches both, and records the run id as an annotation (once per test).
 */
export async function attachEvidence(testInfo: TestInfo, run: TestRun, kind: 'verdict' | 'overturned', text: string): Promise<EvidencePaths> {
  const n = (written.get(testInfo) ?? 0) + 1;
  written.set(testInfo, n);
  const suffix = n === 1 ? '' : ` ${n}`;
  const textPath = testInfo.outputPath(`tracecheck-${n}-${kind}.txt`);
  await mkdir(dirname(textPath), { recursive: true });
  await writeFile(textPath, `Run: ${run.id}\n\n${text}\n`);
  await testInfo.attach(`tracecheck ${kind}${suffix}`, { path: textPath, contentType: 'text/plain' });

  let spansPath: string | undefined;
  try {
    const spans = await run.spans();
    spansPath = testInfo.outputPath(`tracecheck-${n}-spans.json`);
    await writeFile(spansPath, `${JSON.stringify({ run: run.id, spans: spans.map(spanToJson) }, null, 2)}\n`);
    await testInfo.attach(`tracecheck spans${suffix}`, { path: spansPath, contentType: 'application/json' });
  } catch (err) {
    // The verdict is the evidence that matters; a receiver gone by now must not hide it.
    await writeFile(textPath, `Run: ${run.id}\n\n${text}\n\n(the run's spans could not be read: ${(err as Error).message})\n`);
    spansPath = undefined;
  }
  annotateRun(testInfo, run.id);
  return { text: textPath, spans: spansPath };
}

/** A path as a message shows it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The run id as the test's annotation (`tracecheck run`), once. */
export function annotateRun(testInfo: TestInfo, runId: string): void {
  if (!testInfo.annotations.some((a) => a.type === RUN_ANNOTATION && a.description === runId)) testInfo.annotations.push({ type: RUN_ANNOTATION, description: runId });
}
