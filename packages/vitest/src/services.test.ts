import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResolvedService, resolveOptions } from './options.js';
import { type RunningService, ServiceStartError, startService } from './services.js';

// Services as real processes: readiness by URL and by port, output kept, failures with the output,
// and stopping the whole process group.

const dir = mkdtempSync(join(tmpdir(), 'tracecheck-services-'));
const started: RunningService[] = [];

function service(command: string, extra: Partial<ResolvedService> = {}): ResolvedService {
  return { ...resolveOptions({ services: [{ command }] }).services[0]!, ...extra };
}

async function start(s: ResolvedService, env: Record<string, string> = {}): Promise<RunningService> {
  const running = await startService(s, env, { cwd: dir, keepBytes: 4096 });
  started.push(running);
  return running;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Running (a zombie, dead but not yet reaped by init, is not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  // An HTTP server: 503 on /health for its first READY_AFTER ms, 404 elsewhere; logs what it got.
  writeFileSync(
    join(dir, 'server.mjs'),
    `import { createServer } from 'node:http';
const started = Date.now();
const server = createServer((req, res) => {
  console.log('got ' + req.url);
  if (req.url === '/health') res.writeHead(Date.now() - started < Number(process.env.READY_AFTER ?? 0) ? 503 : 200).end();
  else res.writeHead(404).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening, endpoint ' + process.env.OTEL_EXPORTER_OTLP_ENDPOINT + ', mine ' + process.env.MINE));
`,
  );
  writeFileSync(join(dir, 'stubborn.mjs'), `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));\nconsole.log('pid ' + process.pid);\nsetInterval(() => {}, 1000);\n`);
  writeFileSync(join(dir, 'sleeper.mjs'), `console.log('sleeper ' + process.pid);\nsetInterval(() => {}, 1000);\n`);
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop(500)));
});

describe('starting services', () => {
  it('is ready when its URL answers below 500 (a 503 health check is waited out), with the receiver variables and its own env', async () => {
    const port = await freePort();
    const s = await start(service('node server.mjs', { url: `http://127.0.0.1:${port}/health`, env: { PORT: String(port), READY_AFTER: '400', MINE: 'yes' } }), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1234', MINE: 'overridden' });
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    const logs = s.logs.tail(0, 4096).text;
    expect(logs).toContain('listening, endpoint http://127.0.0.1:1234, mine yes');
    expect(logs).toContain('got /health');
    expect(s.started).toBe(true);
    await s.stop();
    expect(s.exit()).toMatch(/exited with code|was killed by SIGTERM/);
  });

  it('a 404 counts as ready: something listens', async () => {
    const port = await freePort();
    const s = await start(service('node server.mjs', { url: `http://127.0.0.1:${port}/nothing-here`, env: { PORT: String(port) } }));
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
    await s.stop();
  });

  it('is ready when its port accepts connections', async () => {
    const port = await freePort();
    const s = await start(service('node server.mjs', { port, env: { PORT: String(port) } }));
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    await s.stop();
  });

  it('without url or port it counts as started at once', async () => {
    const s = await start(service('node sleeper.mjs'));
    // Started means spawned, not ready: the first line comes once Node has loaded the script.
    for (let waited = 0; s.logs.tail(0, 100).text === '' && waited < 10_000; waited += 50) await sleep(50);
    expect(s.logs.tail(0, 100).text).toMatch(/^sleeper \d+/);
    await s.stop();
  });

  it('a service that exits first fails with its output', async () => {
    const err = await start(service(`node -e "console.error('cannot connect to the database'); process.exit(3)"`, { name: 'db-app', url: 'http://127.0.0.1:9/health' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceStartError);
    expect((err as Error).message).toMatch(/^tracecheck: service "db-app" exited with code 3 before it was ready \(command: node -e .*\)\.\nIts output:\n {2}cannot connect to the database/);
  });

  it('a service not ready in time fails with its output, and its process group is killed', async () => {
    const port = await freePort();
    const err = await start(service('node server.mjs', { name: 'slow', url: `http://127.0.0.1:${port}/health`, timeoutMs: 500, env: { PORT: String(port), READY_AFTER: '60000' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceStartError);
    expect((err as Error).message).toMatch(new RegExp(`^tracecheck: service "slow" was not ready within 500 ms: nothing answered at http://127.0.0.1:${port}/health \\(command: node server.mjs; raise its timeout if it needs longer\\)\\.\\nIts output:\\n {2}listening`));
    await sleep(200);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('something already answering: an error, or with reuseExisting it is used and the command is not run', async () => {
    const port = await freePort();
    const server: Server = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await expect(start(service('node -e "process.exit(1)"', { name: 'api', port }))).rejects.toThrow(`tracecheck: service "api": port ${port} already answers before it was started. Stop what is running there, or set reuseExisting: true to use it.`);
      const reused = await start(service('node -e "process.exit(1)"', { name: 'api', port, reuseExisting: true }));
      expect(reused.started).toBe(false);
      expect(reused.logs.tail(0, 1000).text).toContain(`reusing what already answers at port ${port}`);
    } finally {
      server.close();
    }
  });
});

describe('stopping services', () => {
  it('stops the whole process group: what the shell started goes too', async () => {
    const s = await start(service('node sleeper.mjs & node sleeper.mjs; wait'));
    let pids: number[] = [];
    for (let i = 0; i < 50 && pids.length < 2; i++) {
      await sleep(50);
      pids = [...s.logs.tail(0, 4096).text.matchAll(/sleeper (\d+)/g)].map((m) => Number(m[1]));
    }
    expect(pids).toHaveLength(2);
    await s.stop();
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a process that ignores SIGTERM gets SIGKILL after the grace', async () => {
    const s = await start(service('exec node stubborn.mjs'));
    let pid: number | undefined;
    for (let i = 0; i < 50 && pid === undefined; i++) {
      await sleep(50);
      pid = Number(/pid (\d+)/.exec(s.logs.tail(0, 4096).text)?.[1]) || undefined;
    }
    const t0 = Date.now();
    await s.stop(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(alive(pid!)).toBe(false);
    expect(s.logs.tail(0, 4096).text).toContain('ignoring SIGTERM');
    expect(s.exit()).toBe('was killed by SIGKILL');
  });
});
