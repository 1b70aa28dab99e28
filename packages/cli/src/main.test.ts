import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

/** Runs the CLI in this process and collects what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const code = await main(argv, sink((s) => (stdout += s)), sink((s) => (stderr += s)));
  return { code, stdout, stderr };
}

describe('usage errors', () => {
  it('suggests the flag a mistyped one was meant to be, with the synopsis instead of the whole help', async () => {
    const r = await cli('check', '--timout', '5s', 'some "x"');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'tracecheck check: unknown option --timout; did you mean --timeout?',
        'Usage: tracecheck check --url URL --run ID [options] ASSERTION...',
        '       tracecheck check --file FILE [--run ID] ASSERTION...',
        "Run 'tracecheck check --help' for its options.",
        '',
      ].join('\n'),
    );
  });

  it('suggests nothing for a flag that resembles none, and accepts --flag=value typos too', async () => {
    const far = await cli('check', '--verbose', 'some "x"');
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/^tracecheck check: unknown option --verbose\nUsage: tracecheck check /);
    const joined = await cli('check', '--setle=50ms', 'some "x"');
    expect(joined.stderr).toMatch(/unknown option --setle; did you mean --settle\?/);
  });

  it('says which flag lacks its value', async () => {
    const r = await cli('check', '--file');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tracecheck check: --file needs a value\n/);
  });

  it('keeps its own usage errors short too', async () => {
    const r = await cli('check', '--url', 'http://127.0.0.1:1', '--file', 'x.jsonl', 'some "x"');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tracecheck check: --url and --file are exclusive/);
    expect(r.stderr).toMatch(/Run 'tracecheck check --help' for its options\.\n$/);
    expect(r.stderr).not.toMatch(/Exit codes:/);
  });

  it('suggests the command a mistyped one was meant to be', async () => {
    const r = await cli('chek', '--file', 'x.jsonl');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tracecheck: unknown command 'chek'; did you mean 'check'?\nUsage: tracecheck receive|check|run|snapshot [options]\nRun 'tracecheck --help' for the commands.\n");
    expect((await cli('frobnicate')).stderr).toMatch(/^tracecheck: unknown command 'frobnicate'\nUsage: /);
    expect((await cli('--verbose')).stderr).toMatch(/^tracecheck: unknown option --verbose\n/);
  });

  it('still prints the whole help when asked', async () => {
    const r = await cli('check', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:/);
    expect((await cli('--help')).stdout).toMatch(/Commands:\n {2}receive/);
  });
});
