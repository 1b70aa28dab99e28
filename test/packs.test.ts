import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditions, expectSuccess, installProject, killGroup, type Manifest, packInto, packsDir, readJson, root, run, specifiers, userEnv, walk, workspacePackages } from './support/packs.js';

// What a user does before tracecheck is published (README.md, "Install before we publish"):
// `npm run pack` in the repository, then `npm i /path/to/tracecheck/packs/*.tgz` in their own project
// with plain npm (here from a copy in the project's vendor/, as a project keeps them for `npm ci`).
// The project is a fresh temporary directory outside the repository, and every step runs as a real
// process there: nothing is resolved from the workspace (its node_modules/.bin is
// taken off PATH, and imports resolve from the project's node_modules only). Network: npm fetches the
// peers from the registry (npm's own cache helps); nothing else is cached outside the temp directory.
//
// New packages are picked up from packages/*/package.json: the first test fails until `npm run pack`
// writes their tarball, every export of every package is imported (plain Node) and type-checked
// (TypeScript), and non-optional peers are installed at the versions the workspace pins. Checks that
// need more (a test runner for the Vitest or Playwright package) go in test/packs-vitest.test.ts and
// test/packs-vitest-ci.test.ts.
// Helpers: test/support/packs.ts.

/**
 * Exports whose import does something (the SDK's register hook starts tracing), or that only Vitest
 * can load (`@tracecheck/vitest` extends Vitest's test with its fixture when imported, which needs a
 * running Vitest; `./setup` only registers the matchers): not imported in the plain import test;
 * test/packs-vitest.test.ts loads the Vitest ones in a real Vitest run, and the register hook has a test
 * of its own below.
 */
const importedOnlyByTheirTest = new Set(['@tracecheck/sdk/register', '@tracecheck/vitest', '@tracecheck/vitest/setup']);

describe('the packed tarballs, installed with npm in a project outside the repository', () => {
  let project = '';
  let tarballs: string[] = [];
  let installed: Manifest[] = [];
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'tracecheck-packs-')));
    const packed = await packInto(join(project, 'vendor'));
    tarballs = packed.tarballs;
    // The list `npm run pack` prints is the tarballs written.
    for (const t of tarballs) expect(packed.stdout).toContain(relative(root, join(packsDir, t)));
    // The SDK's OpenTelemetry peers (and any other non-optional peer) at the versions the workspace runs.
    await installProject(project);
    installed = workspacePackages.map((m) => readJson<Manifest>(join(project, 'node_modules', m.name, 'package.json')));
  }, 300_000);

  afterAll(async () => {
    for (const child of started) killGroup(child, 'SIGKILL');
    if (project) await rm(project, { recursive: true, force: true });
  }, 120_000);

  it('packs/ holds one tarball per public package of the workspace, all at one version', () => {
    expect([...tarballs].sort()).toEqual(workspacePackages.map((m) => `${m.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`).sort());
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
        // Node 20.19+ (the packages' engines) loads ES modules with require() too; it adds __esModule
        // to the namespace of a module with a default export (the Vitest plugin's).
        `  out[spec] = { keys: Object.keys(await import(spec)).length, at: import.meta.resolve(spec), required: Object.keys(require(spec)).filter((k) => k !== '__esModule').length };`,
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
