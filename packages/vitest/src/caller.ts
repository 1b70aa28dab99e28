/** Where in a test file a check was made, from a stack trace (for `tracecheck run`'s JUnit file). */
import { fileURLToPath } from 'node:url';

export interface CallerLocation {
  file: string;
  line: number;
  column: number;
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

function pathOf(file: string): string {
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

/**
 * The first frame of `stack` in `testPath` (the running test file); without one, the first frame
 * outside Node's internals, node_modules and this package.
 */
export function callerFrom(stack: string | undefined, testPath: string | undefined): CallerLocation | undefined {
  if (stack === undefined) return undefined;
  const frames: CallerLocation[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    frames.push({ file: pathOf(m[1]!), line: Number(m[2]), column: Number(m[3]) });
  }
  if (testPath !== undefined) {
    const own = frames.find((f) => f.file === testPath);
    if (own !== undefined) return own;
  }
  return frames.find((f) => !f.file.startsWith('node:') && !f.file.includes('/node_modules/') && !f.file.includes('/packages/vitest/') && !f.file.includes('/@tracecheck/vitest/'));
}
