/**
 * `await expect(run).toMatchEffectSnapshot(options?)` and the file form
 * `await expect(run).toMatchEffectFileSnapshot(path, options?)`: the effect snapshot of the test's run
 * (what it did to the outside world: effects with counts, calls, payload shapes, order; see
 * docs/snapshots.md) on Vitest's own snapshot machinery, so `vitest -u` writes and accepts it,
 * obsolete snapshots are reported, and CI (`CI=true`) fails on a mismatch without writing. The
 * message leads with the difference as a review would put it (`email.send (svc worker): 1 → 2`).
 */
import { diffSnapshots, effectSnapshot, parseSnapshot, SNAPSHOT_HEADER, type SnapshotOptions } from '@tracecheck/lang';
import type { TestRun } from '@tracecheck/client';
import { expect, type MatcherState, type TestContext } from 'vitest';
import { deserializeSnapshotOptions } from './options.js';
import { isTestRun, providedRun, VitestRun } from './run.js';

/** What the snapshot serializer prints raw: the snapshot text, not a quoted, escaped string. */
const EFFECTS = Symbol.for('tracecheck.effectSnapshot');
interface EffectsValue {
  readonly [EFFECTS]: true;
  readonly text: string;
}

/** Prints an effect snapshot as its lines in `.snap` files (registered by the setup file). */
export const effectSnapshotSerializer = {
  test: (value: unknown): boolean => typeof value === 'object' && value !== null && (value as EffectsValue)[EFFECTS] === true,
  serialize: (value: EffectsValue): string => value.text.trimEnd(),
};

type MatcherContext = MatcherState & { task?: { context?: TestContext } };

/** The snapshot text of the whole run: closing waits until it is quiet with nothing in flight. */
async function snapshotOf(run: TestRun, own: SnapshotOptions | undefined): Promise<string> {
  const provided = run instanceof VitestRun ? run.provided : providedRun();
  await run.close({ ...(provided?.defaults.settleMs === undefined ? {} : { settleMs: provided.defaults.settleMs }) });
  const text = effectSnapshot(await run.spans(), { ...deserializeSnapshotOptions(provided?.snapshot), ...own });
  await run.client.recordSnapshot(run.id, [...parseSnapshot(text).groups.keys()]).catch(() => undefined);
  return text;
}

/** The review-style lines between what was stored (Vitest's `expected`) and the new text. */
function review(stored: unknown, text: string, runId: string): string {
  if (typeof stored !== 'string') return '';
  const start = stored.indexOf(SNAPSHOT_HEADER);
  if (start < 0) return '';
  try {
    const lines = diffSnapshots(stored.slice(start), text);
    return lines.length === 0 ? '' : `The effects of run ${runId} changed:\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`;
  } catch {
    return '';
  }
}

function expectOf(state: MatcherContext, run: TestRun): typeof expect {
  const context = (run instanceof VitestRun ? run.context : undefined) ?? state.task?.context;
  return context?.expect ?? expect;
}

export async function toMatchEffectSnapshot(this: MatcherState, run: unknown, options?: SnapshotOptions): Promise<{ pass: boolean; message: () => string }> {
  if (!isTestRun(run)) throw new TypeError(`expect(run).toMatchEffectSnapshot(): expected the test's \`run\` fixture, got ${this.utils.stringify(run)}`);
  if (this.isNot === true) throw new Error('.not.toMatchEffectSnapshot() is not supported');
  const text = await snapshotOf(run, options);
  try {
    expectOf(this as MatcherContext, run)({ [EFFECTS]: true, text } satisfies EffectsValue).toMatchSnapshot();
    return { pass: true, message: () => `the effects of run ${run.id} match the snapshot` };
  } catch (err) {
    const e = err as { message?: string; expected?: unknown };
    return { pass: false, message: () => `${review(e.expected, text, run.id)}${e.message ?? String(err)}` };
  }
}

export async function toMatchEffectFileSnapshot(this: MatcherState, run: unknown, path: string, options?: SnapshotOptions): Promise<{ pass: boolean; message: () => string }> {
  if (!isTestRun(run)) throw new TypeError(`expect(run).toMatchEffectFileSnapshot(): expected the test's \`run\` fixture, got ${this.utils.stringify(run)}`);
  if (typeof path !== 'string' || path === '') throw new TypeError('expect(run).toMatchEffectFileSnapshot(path): give the snapshot file, e.g. "./__effects__/checkout.txt"');
  if (this.isNot === true) throw new Error('.not.toMatchEffectFileSnapshot() is not supported');
  const text = await snapshotOf(run, options);
  try {
    await expectOf(this as MatcherContext, run)(text).toMatchFileSnapshot(path);
    return { pass: true, message: () => `the effects of run ${run.id} match ${path}` };
  } catch (err) {
    const e = err as { message?: string; expected?: unknown };
    return { pass: false, message: () => `${review(e.expected, text, run.id)}${e.message ?? String(err)}` };
  }
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars -- the parameters must match Vitest's declaration
  interface Assertion<T = any> {
    /**
     * Compares the effect snapshot of the test's run (closed first) with the one stored in the
     * test file's `.snap` file; `vitest -u` writes or accepts it. Always `await` it.
     */
    toMatchEffectSnapshot(options?: SnapshotOptions): Promise<void>;
    /** The same, stored in its own file (`path`, relative to the test file). */
    toMatchEffectFileSnapshot(path: string, options?: SnapshotOptions): Promise<void>;
  }
}
