import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user does before tracecheck is published (README.md, "Install before we publish"):
// `npm run pack` in the repository, then `npm i /path/to/tracecheck/packs/*.tgz` in their own project
// with plain npm. The project here is a fresh temporary directory outside the repository, and every
// step runs as a real process there: nothing is resolved from the workspace (its node_modules/.bin is
// taken off PATH, and imports resolve from the project's node_modules only). Network: npm fetches the
// peers from the registry (npm's own cache helps); nothing else is cached outside the temp directory.
//
// New packages are picked up from packages/*/package.json: the first test fails until `npm run pack`
// writes their tarball, every export of every package is imported (plain Node) and type-checked
// (TypeScript), and non-optional peers are installed at the versions the workspace pins. Checks that
// need more (a test runner for the Vitest or Playwright package) go in a describe block of their own.

const root = fileURLToPath(new URL('..', import.meta.url));
const packsDir = join(root, 'packs');

interface Manifest {
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

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The packages a user installs: every packages/<dir> whose package.json is not private. */
const workspacePackages: Manifest[] = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => readJson<Manifest>(join(root, 'packages', dir, 'package.json')))
  .filter((m) => m.private !== true)
  .sort((a, b) => a.name.localeCompare(b.name));

/**
 * Exports whose import does something (the SDK's register hook starts tracing): not imported in the
 * plain import test; each has a test of its own below.
 */
const importedOnlyByTheirTest = new Set(['@tracecheck/sdk/register']);

/** The version a peer is installed at: as examples/sdk-services pins it, else the workspace's devDependencies. */
function peerVersion(peer: string, of: Manifest): string {
  const pins = [
    readJson<Manifest>(join(root, 'examples', 'sdk-services', 'package.json')).dependencies,
    workspacePackages.find((m) => m.name === of.name)?.devDependencies,
    readJson<Manifest>(join(root, 'package.json')).devDependencies,
  ];
  for (const pin of pins) if (pin?.[peer] && !pin[peer].startsWith('workspace:')) return pin[peer];
  throw new Error(`${of.name}: no version of its peer ${peer} pinned in examples/sdk-services or its devDependencies`);
}

/** Every subpath an `exports` map offers (`.`, `./json`, ...), as import specifiers of the package. */
function specifiers(m: Manifest): string[] {
  const exp = m.exports;
  if (typeof exp === 'string' || Array.isArray(exp) || exp === undefined) return [m.name];
  const keys = Object.keys(exp as object);
  if (!keys.some((k) => k.startsWith('.'))) return [m.name];
  return keys.filter((k) => !k.includes('*')).map((k) => (k === '.' ? m.name : `${m.name}/${k.slice(2)}`));
}

/** The conditions named anywhere in an `exports` value. */
function conditions(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [...(k.startsWith('.') ? [] : [k]), ...conditions(v)]);
}

/** The environment of a user's shell: no workspace bins on PATH, no npm/pnpm script or test-runner state. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keepNpm = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_cafile', 'npm_config_strict_ssl']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|otel_|tracecheck_|vitest)/i.test(k) && !keepNpm.has(k.toLowerCase())) continue;
    if (k === 'NODE_OPTIONS' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !`${p}${sep}`.startsWith(root));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (cwd: the user's project unless told), with the user's environment. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectSuccess(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/**
 * npx runs the bin in a child shell and does not pass signals on (it exits, the receiver stays), so
 * long-running commands are started in a process group of their own and stopped as a group.
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Every file of an installed package, relative to it, with / separators (not its own node_modules: npm nests dependencies there). */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .filter((name) => !(prefix === '' && name === 'node_modules'))
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

describe('the packed tarballs, installed with npm in a project outside the repository', () => {
  let project = '';
  let tarballs: string[] = [];
  let installed: Manifest[] = [];
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    const pack = await run('npm', ['run', 'pack'], { cwd: root, timeoutMs: 180_000 });
    expectSuccess(pack, 'npm run pack');
    tarballs = readdirSync(packsDir).filter((f) => f.endsWith('.tgz')).map((f) => join(packsDir, f));
    // The list `npm run pack` prints is the tarballs written.
    for (const t of tarballs) expect(pack.stdout).toContain(relative(root, t));

    project = realpathSync(mkdtempSync(join(tmpdir(), 'tracecheck-packs-')));
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'tracecheck-packs-user', private: true, type: 'module' }, null, 2)}\n`);
    // The SDK's OpenTelemetry peers (and any other non-optional peer) at the versions the workspace runs.
    const peers = new Map<string, string>();
    for (const m of workspacePackages) {
      for (const peer of Object.keys(m.peerDependencies ?? {})) {
        if (!m.peerDependenciesMeta?.[peer]?.optional && !peers.has(peer)) peers.set(peer, peerVersion(peer, m));
      }
    }
    const install = await run('npm', ['i', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...[...peers].map(([name, version]) => `${name}@${version}`)], { cwd: project, timeoutMs: 240_000 });
    expectSuccess(install, 'npm i packs/*.tgz');
    installed = workspacePackages.map((m) => readJson<Manifest>(join(project, 'node_modules', m.name, 'package.json')));
  }, 300_000);

  afterAll(() => {
    for (const child of started) killGroup(child, 'SIGKILL');
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('packs/ holds one tarball per public package of the workspace, all at one version', () => {
    const packed = tarballs.map((t) => t.slice(packsDir.length + 1)).sort();
    expect(packed).toEqual(workspacePackages.map((m) => `${m.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`).sort());
    expect(new Set(workspacePackages.map((m) => m.version)).size).toBe(1);
  });

  it('installs into a consistent tree: the packages from the tarballs, their dependencies met', async () => {
    for (const m of installed) expect(m.version).toBe(workspacePackages[0]!.version);
    // npm ls exits 1 on a missing or invalid dependency or peer (a workspace: range would be one).
    expectSuccess(await run('npm', ['ls', '--all'], { cwd: project }), 'npm ls --all');
    const lock = readJson<{ packages: Record<string, { resolved?: string }> }>(join(project, 'package-lock.json'));
    for (const m of installed) expect(lock.packages[`node_modules/${m.name}`]?.resolved, m.name).toMatch(/\.tgz$/);
  });

  it('ships what a user needs and nothing of the repository', () => {
    const fieldsAnyHas = ['description', 'license', 'repository', 'engines', 'type'].filter((f) => installed.some((m) => f in m));
    for (const m of installed) {
      const dir = join(project, 'node_modules', m.name);
      const files = walk(dir);
      for (const f of fieldsAnyHas) expect(m, `${m.name}: ${f}`).toHaveProperty(f);
      expect(m.engines?.node, m.name).toMatch(/^>=\d+\.\d+\.\d+$/);
      for (const [name, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) expect(range, `${m.name} -> ${name}`).not.toMatch(/^workspace:/);
      expect(files.some((f) => /^readme\.md$/i.test(f)), `${m.name}: README.md`).toBe(true);
      expect(files.filter((f) => /\.test\.|\.tsbuildinfo$|(^|\/)(testing|test-support|conformance)\//.test(f)), m.name).toEqual([]);
      // Sources ship only beside their build output (source maps and declaration maps point at them).
      const fileSet = new Set(files);
      expect(files.filter((f) => f.startsWith('src/') && f.endsWith('.ts') && !fileSet.has(f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))), m.name).toEqual([]);
      expect(files.filter((f) => !/^(dist|src|bin)\/|^package\.json$|^readme\.md$|^license/i.test(f)), m.name).toEqual([]);
      // Only this repository's own condition leads to src/; Vite, TypeScript or Node in the user's
      // project never set it (a condition named plain `source` is one other tools use).
      expect(conditions(m.exports), m.name).not.toContain('source');
    }
  });

  it('npx tracecheck: --help, and check --file on a small OTLP JSON lines file', async () => {
    const help = await run('npx', ['--no', '--', 'tracecheck', '--help'], { cwd: project });
    expectSuccess(help, 'npx tracecheck --help');
    expect(help.stdout).toMatch(/^Usage: tracecheck/m);
    // The bin npm linked is the installed CLI's.
    expect(realpathSync(join(project, 'node_modules', '.bin', 'tracecheck'))).toBe(join(project, 'node_modules', '@tracecheck', 'cli', 'bin', 'tracecheck.js'));

    const attr = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });
    const spanJson = (spanId: string, name: string, startMs: number, attributes: ReturnType<typeof attr>[], parentSpanId?: string) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name,
      kind: 1,
      startTimeUnixNano: `${1_700_000_000_000 + startMs}000000`,
      endTimeUnixNano: `${1_700_000_000_000 + startMs + 5}000000`,
      attributes,
    });
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'shop')] },
          scopeSpans: [
            {
              scope: { name: 'packs-test' },
              spans: [
                spanJson('eee19b7ec3c1b174', 'order.placed', 0, [attr('test.run.id', 'packs-file'), attr('amount', 2500)]),
                spanJson('eee19b7ec3c1b175', 'email.send', 10, [attr('template', 'order-confirmation')], 'eee19b7ec3c1b174'),
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(project, 'spans.jsonl'), `${JSON.stringify(request)}\n`);
    const pass = await run('npx', ['--no', '--', 'tracecheck', 'check', '--file', 'spans.jsonl', '--run', 'packs-file', 'one { name = "order.placed" && span.amount = 2500 }', 'some "email.send" after "order.placed"'], { cwd: project });
    expectSuccess(pass, 'tracecheck check --file');
    expect(pass.stdout).toMatch(/2 of 2 checks passed/);
    const fail = await run('npx', ['--no', '--', 'tracecheck', 'check', '--file', 'spans.jsonl', '--run', 'packs-file', 'no "email.send"'], { cwd: project });
    expect(fail.code, fail.stderr).toBe(1);
    expect(fail.stdout).toMatch(/email\.send/);
  }, 60_000);

  it('every export of every package imports in an ES module script under plain Node, and requires from CommonJS', async () => {
    const specs = workspacePackages.flatMap(specifiers).filter((s) => !importedOnlyByTheirTest.has(s));
    writeFileSync(
      join(project, 'import-all.mjs'),
      [
        `import { createRequire } from 'node:module';`,
        `const require = createRequire(import.meta.url);`,
        `const out = {};`,
        `for (const spec of ${JSON.stringify(specs)}) {`,
        // Node 20.19+ (the packages' engines) loads ES modules with require() too.
        `  out[spec] = { keys: Object.keys(await import(spec)).length, at: import.meta.resolve(spec), required: Object.keys(require(spec)).length };`,
        `}`,
        `console.log(JSON.stringify(out));`,
        '',
      ].join('\n'),
    );
    const r = await run(process.execPath, ['import-all.mjs'], { cwd: project });
    expectSuccess(r, 'node import-all.mjs');
    const out = JSON.parse(r.stdout) as Record<string, { keys: number; at: string; required: number }>;
    const installedAt = `${join(project, 'node_modules')}${sep}`;
    for (const spec of specs) {
      expect(out[spec]!.keys, spec).toBeGreaterThan(0);
      expect(out[spec]!.required, spec).toBe(out[spec]!.keys);
      const file = fileURLToPath(out[spec]!.at);
      expect(file.startsWith(installedAt), `${spec} -> ${file}`).toBe(true);
      expect(file.slice(installedAt.length), spec).toMatch(/^@tracecheck\/[^/]+\/dist\/.*\.js$/);
    }
  });

  it('TypeScript in the project resolves every export to its dist/ declarations, typed', async () => {
    const specs = workspacePackages.flatMap(specifiers);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false }, files: ['consumer.ts'] }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        ...specs.map((s, i) => `import type * as m${i} from '${s}';`),
        `export type All = [${specs.map((_, i) => `typeof m${i}`).join(', ')}];`,
        `import { one, span, validateAssertion } from '@tracecheck/lang';`,
        `import { TracecheckClient } from '@tracecheck/client';`,
        `const text: string = one(span('refund.requested')).toString();`,
        `const { hints } = validateAssertion(text);`,
        `export const n: number = hints.length;`,
        `// @ts-expect-error the types are real: an assertion is text, not a number`,
        `validateAssertion(42);`,
        `export const client = new TracecheckClient({ url: 'http://127.0.0.1:4318' });`,
        `// @ts-expect-error check() takes a run id and an assertion`,
        `void client.check(1);`,
        '',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles', '--pretty', 'false'], { cwd: project });
    // Errors in other packages' declarations are theirs; ours and the project's must be none.
    const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l) && (!l.includes('node_modules') || l.includes('node_modules/@tracecheck/')));
    expect(errors).toEqual([]);
    const ours = r.stdout.split('\n').filter((l) => l.includes('/node_modules/@tracecheck/'));
    expect(ours.filter((l) => !/\/node_modules\/@tracecheck\/[^/]+\/dist\/.*\.d\.ts$/.test(l))).toEqual([]);
    for (const m of workspacePackages) expect(ours.some((l) => l.includes(`/node_modules/${m.name}/dist/`)), m.name).toBe(true);
  }, 120_000);

  it('the SDK register hook instruments a script; its spans reach npx tracecheck receive and pass npx tracecheck check and the client', async () => {
    const receiver = spawn('npx', ['--no', '--', 'tracecheck', 'receive', '--http-port', '0', '--grpc-port', '0'], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    started.push(receiver);
    let out = '';
    let err = '';
    receiver.stdout.on('data', (d) => (out += d));
    receiver.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => receiver.on('close', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      receiver.stdout.on('data', () => {
        const m = /^tracecheck ready http=(\S+) grpc=(\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`tracecheck receive exited ${code} before ready: ${err}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    writeFileSync(
      join(project, 'app.mjs'),
      `import { createServer } from 'node:http';
import { effect } from '@tracecheck/sdk';

// A service that takes an order and charges a card; the caller tags the request with its run id.
const server = createServer(async (req, res) => {
  await effect('payment.charge', { amount: 2500, payload: { card: '4242 4242 4242 4242', amount: 2500 } }, async () => 'ch_1');
  res.end('charged');
});
server.listen(0, '127.0.0.1', async () => {
  const reply = await fetch('http://127.0.0.1:' + server.address().port + '/orders', { method: 'POST', headers: { baggage: 'test.run.id=' + process.env.RUN_ID } });
  console.log(await reply.text());
  server.close();
});
`,
    );
    const runId = `packs-${Date.now().toString(36)}`;
    const app = await run(process.execPath, ['--import', '@tracecheck/sdk/register', 'app.mjs'], {
      cwd: project,
      env: { RUN_ID: runId, OTEL_SERVICE_NAME: 'packs-app', OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', TRACECHECK_URL: url },
    });
    expectSuccess(app, 'node --import @tracecheck/sdk/register app.mjs');
    expect(app.stdout.trim()).toBe('charged');
    expect(app.stderr).not.toMatch(/tracing not started/);

    const check = await run(
      'npx',
      [
        '--no',
        '--',
        'tracecheck',
        'check',
        '--url',
        url,
        '--run',
        runId,
        '--timeout',
        '10s',
        'one { name = "payment.charge" && span.amount = 2500 }',
        'exactly 1 { kind = server && resource.service.name = "packs-app" }',
        'some { kind = client }',
        'no { span.effect.payload =~ ".*4242 4242 4242 4242.*" }',
      ],
      { cwd: project, timeoutMs: 30_000 },
    );
    expectSuccess(check, 'tracecheck check --url');
    expect(check.stdout).toMatch(/4 of 4 checks passed/);

    // The client and the builder from an ES module script, against the same receiver.
    writeFileSync(
      join(project, 'client.mjs'),
      `import { TracecheckClient } from '@tracecheck/client';
import { one, span } from '@tracecheck/lang';

const client = new TracecheckClient({ url: process.env.TRACECHECK_URL });
const verdict = await client.waitFor(process.env.RUN_ID, one(span('payment.charge')).toString(), { timeoutMs: 10000 });
const spans = await client.spans(process.env.RUN_ID);
console.log(JSON.stringify({ pass: verdict.pass, names: spans.map((s) => s.name).sort() }));
`,
    );
    const client = await run(process.execPath, ['client.mjs'], { cwd: project, env: { TRACECHECK_URL: url, RUN_ID: runId } });
    expectSuccess(client, 'node client.mjs');
    const result = JSON.parse(client.stdout) as { pass: boolean; names: string[] };
    expect(result.pass).toBe(true);
    expect(result.names).toContain('payment.charge');

    killGroup(receiver, 'SIGTERM');
    await exited;
  }, 120_000);
});
