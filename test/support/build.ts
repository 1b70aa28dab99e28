import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The CLI entry that `./node_modules/.bin/tracecheck` runs (built dist/, as users run it). */
export const cliPath = fileURLToPath(new URL('../../packages/cli/bin/tracecheck.js', import.meta.url));

/** Brings dist/ up to date so process-level tests run the current code (incremental, quick when fresh). */
export function buildWorkspace(): void {
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}
