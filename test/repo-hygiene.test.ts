import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository must stand alone: a reader (or a contributor) can follow every reference in it
// without documents that live elsewhere. Design notes, style guides and shared folders kept outside
// the repository are cited by no tracked file; the reason goes where it is needed, or the reference
// points at a file in the repository (docs/language.md, a README).

const root = fileURLToPath(new URL('..', import.meta.url));

// Spelled in pieces so that this file does not match itself.
const outside = [['DESIGN', '.md'], ['STYLE', '.md'], ['..', '/shared']].map((parts) => parts.join(''));

/** Tracked files, outside node_modules and build output. */
function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f !== '' && !/(^|\/)(node_modules|dist)\//.test(f));
}

describe('the repository refers to nothing outside it', () => {
  it(`no tracked file mentions ${outside.join(', ')}`, () => {
    const hits: string[] = [];
    for (const file of trackedFiles()) {
      const path = join(root, file);
      if (!existsSync(path)) continue; // deleted in the working tree, not yet committed
      const bytes = readFileSync(path);
      if (bytes.includes(0)) continue; // binary
      bytes.toString('utf8').split('\n').forEach((line, i) => {
        for (const name of outside) if (line.includes(name)) hits.push(`${file}:${i + 1}: ${name}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
