import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, cliPath } from './support/build.js';
import { runSpans } from './support/receiver-api.js';

// `tracecheck receive` as a real process: the contract scripts rely on (the ready line, exit codes,
// signals; README.md, "tracecheck receive").

const vector = readFileSync(new URL('./fixtures/vectors/trace.json', import.meta.url));

function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [cliPath, 'receive', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<{ http: string; grpc: string }>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /^tracecheck ready http=(\S+) grpc=(\S+)$/m.exec(stdout);
      if (m) resolve({ http: m[1]!, grpc: m[2]! });
    });
    void exited.then((code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
  // A process that is meant to fail never gets ready; that is not an unhandled rejection.
  ready.catch(() => {});
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('tracecheck receive', () => {
  let child: ChildProcess | undefined;
  beforeAll(() => buildWorkspace(), 120_000);
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('prints its endpoints, accepts OTLP, and stops on %s with exit 0', async (signal) => {
    const cli = startCli(['--http-port', '0', '--grpc-port', '0']);
    child = cli.child;
    const { http, grpc } = await cli.ready;
    expect(http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`${http}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: vector });
    expect(res.status).toBe(200);
    const runs = (await (await fetch(`${http}/api/runs`)).json()) as unknown[];
    expect(Array.isArray(runs)).toBe(true);
    cli.child.kill(signal);
    expect(await cli.exited).toBe(0);
  });

  it('enforces --token on every endpoint', async () => {
    const cli = startCli(['--http-port', '0', '--grpc-port', '0', '--token', 's3cret']);
    child = cli.child;
    const { http } = await cli.ready;
    expect((await fetch(`${http}/healthz`)).status).toBe(401);
    expect((await fetch(`${http}/healthz`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    await expect(runSpans(http, 'x')).rejects.toThrow(/401/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('exits 2 with a message for a bad flag or a port in use', async () => {
    const bad = startCli(['--http-port', 'nope']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toMatch(/--http-port: 'nope' is not a port/);

    const first = startCli(['--http-port', '0', '--grpc-port', '0']);
    child = first.child;
    const { http } = await first.ready;
    const port = new URL(http).port;
    const second = startCli(['--http-port', port, '--grpc-port', '0']);
    expect(await second.exited).toBe(2);
    expect(second.output().stderr).toMatch(/EADDRINUSE|in use/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
