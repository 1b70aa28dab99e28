// The shop's processes: where each listens, how it starts, and what it needs to find the others. The
// test configs (vitest.config.ts, playwright.config.ts) start them as services / webServer; the
// scripts (scripts/start.mjs, the suite, the drill) start them with startStack().
//
// Ports: SHOP_<NAME>_PORT (SHOP_WEB_PORT, SHOP_PAYMENTS_PORT...), else the defaults below.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';

const here = new URL('.', import.meta.url);
export const SHOP_DIR = decodeURIComponent(here.pathname);

/** The stand-ins for infrastructure and third parties (not instrumented), then our services. */
export const SANDBOXES = ['queue', 'payments', 'email', 'crm', 'warehouse', 'notifier', 'analytics', 'flags'];
export const SERVICES = ['api', 'worker', 'web'];

const DEFAULT_PORTS = { web: 3800, api: 3801, worker: 3802, queue: 3810, payments: 3811, email: 3812, crm: 3813, warehouse: 3814, notifier: 3815, analytics: 3816, flags: 3817 };

export function ports(env = process.env) {
  return Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, port]) => [name, Number(env[`SHOP_${name.toUpperCase()}_PORT`] ?? port)]));
}

export function urls(env = process.env) {
  return Object.fromEntries(Object.entries(ports(env)).map(([name, port]) => [name, `http://127.0.0.1:${port}`]));
}

/** How to start each process: `argv` for node, the same as a shell `command`, its health URL and env. */
export function processes(env = process.env) {
  const p = ports(env);
  const u = urls(env);
  const common = { QUEUE_URL: u.queue, SHOP_FAULT: env.SHOP_FAULT ?? '' };
  const sandbox = (name) => ({ name, argv: [`sandboxes/${name}.mjs`], env: { PORT: String(p[name]) } });
  const service = (name, extra) => ({ name, argv: ['--import', '@tracecheck/sdk/register', `services/${name}.mjs`], env: { PORT: String(p[name]), OTEL_SERVICE_NAME: name, ...common, ...extra } });
  const list = [
    ...SANDBOXES.map(sandbox),
    service('api', { PAYMENTS_URL: u.payments, CRM_URL: u.crm, NOTIFIER_URL: u.notifier, ANALYTICS_URL: u.analytics, FLAGS_URL: u.flags }),
    service('worker', { API_URL: u.api, PAYMENTS_URL: u.payments, EMAIL_URL: u.email, WAREHOUSE_URL: u.warehouse }),
    service('web', { API_URL: u.api }),
  ];
  return list.map((s) => ({ ...s, command: `node ${s.argv.join(' ')}`, health: `${u[s.name]}/health` }));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const handedOut = new Set();

/**
 * `SHOP_<NAME>_PORT` variables giving each of `names` (default: every process) a free port, never one
 * this process handed out before (a port closed after the probe may be offered again).
 */
export async function freePortsEnv(names = Object.keys(DEFAULT_PORTS)) {
  const env = {};
  for (const name of names) {
    let port;
    do port = await freePort();
    while (handedOut.has(port));
    handedOut.add(port);
    env[`SHOP_${name.toUpperCase()}_PORT`] = String(port);
  }
  return env;
}

/** The variables that point a process at a tracecheck receiver, as `tracecheck run` sets them. */
export function receiverEnv(url) {
  return { TRACECHECK_URL: url, OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_BSP_SCHEDULE_DELAY: '20', TRACECHECK_EXPORT_DELAY: '0' };
}

function answers(url) {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * Starts the named processes (default: all) with `env` (on top of process.env), waits until each
 * answers its health URL, and returns `{ urls, logs(), stop() }`. A process that exits early or is
 * not ready in `timeoutMs` stops the others and rejects with its output.
 */
export async function startStack({ names, env = {}, timeoutMs = 60_000, log } = {}) {
  const fullEnv = { ...process.env, ...env };
  const chosen = processes(fullEnv).filter((s) => names === undefined || names.includes(s.name));
  const running = chosen.map((s) => {
    const child = spawn(process.execPath, s.argv, { cwd: SHOP_DIR, env: { ...fullEnv, ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { spec: s, child, output: '', exited: undefined };
    const onData = (d) => {
      entry.output += d;
      if (entry.output.length > 64_000) entry.output = entry.output.slice(-32_000);
      log?.(s.name, String(d));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    entry.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((entry.exited = signal ? `killed by ${signal}` : `exited with code ${code}`))));
    return entry;
  });
  const stop = async () => {
    await Promise.all(
      running.map(async (e) => {
        if (e.exited !== undefined) return;
        e.child.kill('SIGTERM');
        const timer = setTimeout(() => e.child.kill('SIGKILL'), 5000);
        await e.done;
        clearTimeout(timer);
      }),
    );
  };
  const deadline = Date.now() + timeoutMs;
  try {
    await Promise.all(
      running.map(async (e) => {
        for (;;) {
          if (e.exited !== undefined) throw new Error(`${e.spec.name} (${e.spec.command}) ${e.exited} before it was ready. Its output:\n${e.output}`);
          if (await answers(e.spec.health)) return;
          if (Date.now() > deadline) throw new Error(`${e.spec.name} (${e.spec.command}) was not ready at ${e.spec.health} within ${timeoutMs} ms. Its output:\n${e.output}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls: urls(fullEnv), logs: () => Object.fromEntries(running.map((e) => [e.spec.name, e.output])), stop };
}
