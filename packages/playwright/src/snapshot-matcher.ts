/**
 * `await expect(run).toMatchEffectSnapshot(name?, options?)`: the effect snapshot of the test's run
 * (what it did to the outside world: effects with counts, calls, payload shapes, order; see
 * docs/snapshots.md), compared with Playwright's own snapshot machinery, so `--update-snapshots`
 * writes it, `snapshotPathTemplate` places it, and CI fails on a mismatch. The message leads with the
 * difference as a review would put it (`email.send (svc worker): 1 → 2`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { expect as baseExpect, type ExpectMatcherState, type MatcherReturnType, test as baseTest } from '@playwright/test';
import type { TestRun } from '@tracecheck/client';
import { diffSnapshots, effectSnapshot, parseSnapshot, type SnapshotOptions } from '@tracecheck/lang';
import { closeOptions } from './options.js';
import { PlaywrightRun } from './run.js';

/** A file name for the test: its title, made safe, then `.effects.txt`. */
function defaultName(title: string): string {
  return `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'effects'}.effects.txt`;
}

export async function toMatchEffectSnapshot(this: ExpectMatcherState, run: TestRun, nameOrOptions?: string | SnapshotOptions, maybeOptions?: SnapshotOptions): Promise<MatcherReturnType> {
  const hint = this.utils.matcherHint('toMatchEffectSnapshot', 'run', '', { isNot: this.isNot, promise: this.promise });
  if (this.isNot) throw new Error(`${hint}\n\n.not.toMatchEffectSnapshot() is not supported.`);
  const testInfo = baseTest.info();
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : defaultName(testInfo.title);
  const fixture = run instanceof PlaywrightRun ? run.options : {};
  const options: SnapshotOptions = { ...fixture.snapshot, ...(typeof nameOrOptions === 'object' ? nameOrOptions : maybeOptions) };

  // The snapshot is of the whole run: wait until it is quiet with nothing in flight. Closing also
  // re-verifies settled passes; the fixture reports any overturn at the end of the test.
  await run.close(closeOptions(fixture));
  const text = effectSnapshot(await run.spans(), options);
  await run.client.recordSnapshot(run.id, [...parseSnapshot(text).groups.keys()]).catch(() => undefined);

  try {
    baseExpect(text).toMatchSnapshot(name);
    return { pass: true, name: 'toMatchEffectSnapshot', message: () => `${hint}\n\nthe effects of run ${run.id} match ${name}` };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    // Where Playwright keeps it: it sanitizes the name (dots and the like become '-') before its extension.
    const ext = extname(name);
    const sanitized = `${name.slice(0, name.length - ext.length).replace(/[\x00-\x2C\x2E-\x2F\x3A-\x40\x5B-\x60\x7B-\x7F]+/g, '-')}${ext}`;
    const path = [testInfo.snapshotPath(sanitized), testInfo.snapshotPath(name)].find((p) => existsSync(p));
    const stored = path === undefined ? undefined : readFileSync(path, 'utf8');
    let review = '';
    try {
      if (stored !== undefined) review = diffSnapshots(stored, text).map((l) => `  ${l}`).join('\n');
    } catch {
      // A stored file that is not a snapshot: Playwright's own diff says enough.
    }
    const head = review === '' ? '' : `The effects of run ${run.id} changed:\n${review}\n\n`;
    return { pass: false, name: 'toMatchEffectSnapshot', message: () => `${hint}\n\n${head}${detail}` };
  }
}
