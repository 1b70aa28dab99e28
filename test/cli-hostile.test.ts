import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anyArray, anyInt, request, runAttribute, span } from '../scripts/fuzz/protobuf.mjs';
import { startReceiverProcess } from '../scripts/fuzz/campaign.mjs';
import { buildWorkspace, cliPath } from './support/build.js';
import { runCli } from './support/cli.js';

// The CLI under hostile conditions: a reader that goes away mid-output, and the receiver's decode
// limits set from its flags.

describe('tracecheck under hostile conditions', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('ends quietly with its own exit code when the reader of its output goes away (| head -1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracecheck-epipe-'));
    const file = join(dir, 'spans.jsonl');
    writeFileSync(file, `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708', name: 'op' }] }] }] })}\n`);
    const assertions = Array.from({ length: 300 }, (_, i) => `some { name = "missing-${i}" }`);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'check', '--file', file, ...assertions], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      // Like `head -1`: read the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('exit', (c) => resolve({ code: c, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(1); // the checks failed: the command's own code, not a crash
  });

  it('applies --max-array-elements and --max-attributes from the command line, and refuses a bad count', async () => {
    const receiver = startReceiverProcess(['--max-array-elements', '5', '--max-attributes', '2']);
    try {
      const { http } = await receiver.ready;
      const body = request([
        span({
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          attributes: [runAttribute('flags'), ['list', anyArray([1, 2, 3, 4, 5, 6].map(anyInt))], ['ok', anyInt(1)], ['extra', anyInt(2)]],
        }),
      ]);
      const res = await fetch(`${http}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
      expect(res.status).toBe(200);
      const { spans } = (await (await fetch(`${http}/api/runs/flags/spans`)).json()) as { spans: { attributes: { key: string }[]; droppedAttributesCount: number }[] };
      // The array of 6 is over 5 elements; `extra` is over 2 attributes.
      expect(spans[0]!.attributes.map((a) => a.key).sort()).toEqual(['ok', 'test.run.id']);
      expect(spans[0]!.droppedAttributesCount).toBe(2);
    } finally {
      receiver.child.kill('SIGTERM');
      await receiver.exited;
    }
    const bad = await runCli(['receive', '--max-events', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-events: 'lots' is not a whole number >= 1/);
  });
});
