import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// What test/packs*.test.ts share: the workspace's public packages, `npm run pack` (one at a time
// across test files), a fresh project outside the repository that installs the tarballs with plain
// npm, and commands run there as a user's shell would run them.

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const packsDir = join(root, 'packs');

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: unknown;
  engines?: Record<string, string>;
  exports?: unknown;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The packages a user installs: every packages/<dir> whose package.json is not private. */
export const workspacePackages: Manifest[] = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => readJson<Manifest>(join(root, 'packages', dir, 'package.json')))
  .filter((m) => m.private !== true)
  .sort((a, b) => a.name.localeCompare(b.name));

/** The version a peer is installed at: as examples/sdk-services pins it, else the workspace's devDependencies. */
export function peerVersion(peer: string, of: Manifest): string {
  const pins = [
    readJson<Manifest>(join(root, 'examples', 'sdk-services', 'package.json')).dependencies,
    workspacePackages.find((m) => m.name === of.name)?.devDependencies,
    readJson<Manifest>(join(root, 'package.json')).devDependencies,
  ];
  for (const pin of pins) if (pin?.[peer] && !pin[peer].startsWith('workspace:')) return pin[peer];
  throw new Error(`${of.name}: no version of its peer ${peer} pinned in examples/sdk-services or its devDependencies`);
}

/** Every non-optional peer of the packages (the SDK's OpenTelemetry packages, Vitest, Playwright Test), at the version peerVersion pins. */
export function peers(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of workspacePackages) {
    for (const peer of Object.keys(m.peerDependencies ?? {})) {
      if (!m.peerDependenciesMeta?.[peer]?.optional && !found.has(peer)) found.set(peer, peerVersion(peer, m));
    }
  }
  return found;
}

/** Every subpath an `exports` map offers (`.`, `./json`, ...), as import specifiers of the package. */
export function specifiers(m: Manifest): string[] {
  const exp = m.exports;
  if (typeof exp === 'string' || Array.isArray(exp) || exp === undefined) return [m.name];
  const keys = Object.keys(exp as object);
  if (!keys.some((k) => k.startsWith('.'))) return [m.name];
  return keys.filter((k) => !k.includes('*')).map((k) => (k === '.' ? m.name : `${m.name}/${k.slice(2)}`));
}

/** The conditions named anywhere in an `exports` value. */
export function conditions(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [...(k.startsWith('.') ? [] : [k]), ...conditions(v)]);
}

/** The environment of a user's shell: no workspace bins on PATH, no npm/pnpm script or test-runner state. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keepNpm = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_cafile', 'npm_config_strict_ssl']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|otel_|tracecheck_|vitest|playwright_|test_worker_index|test_parallel_index)/i.test(k) && !keepNpm.has(k.toLowerCase())) continue;
    if (k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'TEST' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !`${p}${sep}`.startsWith(root));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * npx runs the bin in a child shell and does not pass signals on (it exits, the receiver stays), so
 * long-running commands are started in a process group of their own and stopped as a group.
 */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs a command to its end (in its own process group, killed as a group at the timeout), with the user's environment. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs ?? 60_000} ms]`;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the command left running in its group (a service a runner did not stop) goes too.
      killGroup(child, 'SIGKILL');
      resolve({ code, stdout, stderr });
    });
  });
}

export function expectSuccess(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** Every file under `dir`, relative to it, with / separators (not its top-level node_modules: npm nests dependencies there). */
export function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .filter((name) => !(prefix === '' && name === 'node_modules'))
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `npm run pack` and copies the tarballs it wrote into `into`, holding a lock (packs/.lock, a
 * directory with the holder's pid) meanwhile: test files that pack run in parallel, and `npm run pack`
 * empties packs/ first, so one file's install must never read another's half-written packs/.
 * Returns pack's output and the names of the tarballs (as in packs/, and now in `into`).
 */
export async function packInto(into: string): Promise<{ stdout: string; tarballs: string[] }> {
  mkdirSync(packsDir, { recursive: true });
  const lock = join(packsDir, '.lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Being written (or removed) right now.
      }
      // A holder that died (a run killed mid-pack) leaves the lock behind; take it over.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`packs/.lock held by pid ${holder} for 5 minutes`);
      await sleep(200);
    }
  }
  try {
    const pack = await run('npm', ['run', 'pack'], { cwd: root, timeoutMs: 180_000 });
    expectSuccess(pack, 'npm run pack');
    const tarballs = readdirSync(packsDir).filter((f) => f.endsWith('.tgz'));
    mkdirSync(into, { recursive: true });
    for (const t of tarballs) copyFileSync(join(packsDir, t), join(into, t));
    return { stdout: pack.stdout, tarballs };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A fresh project in `project` (a directory outside the repository) whose vendor/ holds the tarballs
 * (as a project keeps them before tracecheck is published, so that `npm ci` finds them in its
 * checkout): writes package.json and installs with plain `npm i ./vendor/*.tgz` plus every
 * non-optional peer at its pinned version (`versions` replaces a version, or adds a package).
 */
export async function installProject(project: string, versions: Record<string, string> = {}, manifest: Record<string, unknown> = {}): Promise<void> {
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'tracecheck-packs-user', private: true, type: 'module', ...manifest }, null, 2)}\n`);
  const tarballs = readdirSync(join(project, 'vendor')).filter((f) => f.endsWith('.tgz'));
  const specs = new Map([...peers(), ...Object.entries(versions)]);
  const install = await run('npm', ['i', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => `./vendor/${t}`), ...[...specs].map(([name, version]) => `${name}@${version}`)], { cwd: project, timeoutMs: 240_000 });
  expectSuccess(install, 'npm i ./vendor/*.tgz');
}

export { freePort } from './ports.js';
