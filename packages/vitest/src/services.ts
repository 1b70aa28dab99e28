/**
 * The services a test run needs (like Playwright's `webServer`): each started with a shell in its
 * own process group, pointed at the receiver, waited for until its URL answers (any status below
 * 500) or its port accepts connections, its output kept in a ring buffer, and stopped at the end
 * with SIGTERM to the whole group (so `npm run x` and its children go too), SIGKILL after a grace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { LogRing } from './log-ring.js';
import type { ResolvedService } from './options.js';

/** How long a service may take to stop on SIGTERM before its process group is killed. */
export const STOP_GRACE_MS = 5_000;
const POLL_MS = 100;

export interface RunningService {
  readonly name: string;
  readonly command: string;
  /** Started by us (false: `reuseExisting` found it already answering). */
  readonly started: boolean;
  readonly logs: LogRing;
  /** How it ended, once it has: `exited with code 1`, `killed by SIGKILL`. */
  exit(): string | undefined;
  stop(graceMs?: number): Promise<void>;
}

/** A service that did not start; the message carries its output. */
export class ServiceStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settled within `ms`; the timer is cleared either way (a pending one would delay Vitest's exit). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function portOpen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The status a GET to `url` answers, 600 when nothing answers. Plain http/https without keep-alive:
 * a pooled `fetch` connection would keep Vitest's process alive after the run.
 */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { agent: false, timeout: 2000, headers: { connection: 'close' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 600);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(600));
  });
}

/** Whether the service's URL answers (status < 500) or its port accepts connections. */
export async function answers(service: Pick<ResolvedService, 'url' | 'port'>): Promise<boolean> {
  if (service.url !== undefined) return (await statusOf(service.url)) < 500;
  if (service.port !== undefined) return (await portOpen(service.port, '127.0.0.1')) || (await portOpen(service.port, '::1'));
  return false;
}

function where(service: ResolvedService): string {
  return service.url ?? (service.port === undefined ? '' : `port ${service.port}`);
}

function indent(text: string): string {
  const t = text.trimEnd();
  return t === '' ? '  (no output)' : t.split('\n').map((l) => `  ${l}`).join('\n');
}

/** Every started process group, so that an abrupt exit of Vitest does not leave them running. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Whether any process of the child's group is still running. A process whose shell parent died is
 * left a zombie until init reaps it (seconds, in some containers); on Linux, /proc tells zombies apart.
 */
function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  if (process.platform === 'win32') return child.exitCode === null && child.signalCode === null;
  try {
    process.kill(-child.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  return livingMembers(child.pid);
}

function livingMembers(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

/**
 * Starts one service with `env` (the receiver's variables; the service's own `env` wins) and waits
 * until it is ready. Rejects with a ServiceStartError carrying its output when it exits first or
 * is not ready within its timeout (the process group is killed then).
 */
export async function startService(service: ResolvedService, env: Record<string, string>, options: { cwd: string; keepBytes: number }): Promise<RunningService> {
  const logs = new LogRing(options.keepBytes);
  const readiness = service.url !== undefined || service.port !== undefined;
  if (readiness && (await answers(service))) {
    if (service.reuseExisting) {
      logs.push(`(tracecheck: reusing what already answers at ${where(service)}; its output is not captured)\n`);
      return { name: service.name, command: service.command, started: false, logs, exit: () => undefined, stop: async () => {} };
    }
    throw new ServiceStartError(
      `tracecheck: service ${JSON.stringify(service.name)}: ${where(service)} already answers before it was started. Stop what is running there, or set reuseExisting: true to use it.`,
    );
  }

  installExitHook();
  const child = spawn(service.command, {
    shell: true,
    cwd: service.cwd ?? options.cwd,
    env: { ...process.env, ...env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  live.add(child);
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => logs.push(d));
  child.stderr!.on('data', (d: string) => logs.push(d));
  let exit: string | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      exit ??= `could not be started: ${err.message}`;
      live.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exit = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
      live.delete(child);
      logs.push(`(tracecheck: ${service.name} ${exit})\n`);
      resolve();
    });
  });

  const stop = async (graceMs = STOP_GRACE_MS): Promise<void> => {
    // The shell may be gone while what it started still runs (and flushes its spans): wait for the
    // whole process group, not just its leader, while the receiver is still up.
    if (!groupAlive(child) && exit !== undefined) return;
    killGroup(child, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(child) && Date.now() < deadline) await sleep(50);
    if (groupAlive(child)) killGroup(child, 'SIGKILL');
    await within(exited, 2000);
    child.stdout!.destroy();
    child.stderr!.destroy();
  };
  const running: RunningService = { name: service.name, command: service.command, started: true, logs, exit: () => exit, stop };

  const deadline = Date.now() + service.timeoutMs;
  const output = (): string => indent(logs.tail(0, 4096).text);
  for (;;) {
    if (exit !== undefined) {
      throw new ServiceStartError(
        `tracecheck: service ${JSON.stringify(service.name)} ${exit} before it was ready${spawnError ? '' : ` (command: ${service.command})`}.\nIts output:\n${output()}`,
      );
    }
    if (!readiness || (await answers(service))) return running;
    if (Date.now() >= deadline) {
      await stop(1000);
      throw new ServiceStartError(
        `tracecheck: service ${JSON.stringify(service.name)} was not ready within ${service.timeoutMs} ms: nothing answered at ${where(service)} (command: ${service.command}; raise its timeout if it needs longer).\nIts output:\n${output()}`,
      );
    }
    await within(exited, POLL_MS);
  }
}

/** Stops every service at once (each gets SIGTERM, then SIGKILL after the grace). */
export async function stopServices(services: readonly RunningService[]): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}
