import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { freePort, installProject, type Manifest, readJson, type Result, root } from './packs.js';

// What test/packs-vitest*.test.ts share: the Vitest lines a fresh project installs, that project
// (the tarballs, its Vitest line, and a copy of examples/vitest-shop), the shop's ports, and what the
// runs there write (JUnit XML, `tracecheck run --report`'s directory).

const shop = join(root, 'examples', 'vitest-shop');

const vitestManifest = readJson<Manifest>(join(root, 'packages', 'vitest', 'package.json'));
const shopManifest = readJson<Manifest>(join(root, 'examples', 'vitest-shop', 'package.json'));

/**
 * The Vite this workspace's Vitest runs with. Vite 8.4.0 names a Windows-only optional dependency
 * (napi-windows-process-start-time) that the registry these machines reach does not have: `npm i`
 * skips it, but `npm ci` then refuses the lockfile ("Missing: … from lock file"). The project that
 * runs docs/ci.md's `npm ci` pins Vite to the workspace's, which does not name it.
 */
const workspaceVite = readJson<Manifest>(createRequire(realpathSync(join(root, 'node_modules', 'vitest', 'package.json'))).resolve('vite/package.json')).version;

export interface Line {
  /** The Vitest line, as the test names it. */
  name: string;
  /** What the project installs besides the tarballs and their peers: `vitest@…` and more. */
  versions: Record<string, string>;
  /** The version installed must match. */
  installed: RegExp;
}

export const lines: Line[] = [
  // The range the package is developed and tested with in this repository (the newest 4.x).
  { name: '4', versions: { vitest: vitestManifest.devDependencies!.vitest!, vite: workspaceVite }, installed: /^4\./ },
  // The oldest line the peer range (>=3.2.0) allows, at its newest patch.
  { name: '3.2', versions: { vitest: '~3.2.0' }, installed: /^3\.2\./ },
];

export interface Property {
  name: string;
  value: string;
}
export interface Testcase {
  name: string;
  classname: string;
  file?: string;
  line?: string;
  properties?: { property: Property | Property[] };
  failure?: { message: string; type: string; '#text': string };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });

export function testcases(junit: string): Testcase[] {
  const parsed = xml.parse(junit) as { testsuites: { testsuite?: { testcase?: Testcase | Testcase[] } | { testcase?: Testcase | Testcase[] }[] } };
  return [parsed.testsuites.testsuite ?? []].flat().flatMap((s) => [s.testcase ?? []].flat());
}

export const properties = (c: Testcase): Property[] => [c.properties?.property ?? []].flat();

/** examples/vitest-shop without its package.json (the project has its own); `tests/effects/` stays, excluded by the config as in the example. */
function copyShop(project: string): void {
  for (const name of readdirSync(shop)) {
    if (name === 'package.json' || name === 'node_modules') continue;
    cpSync(join(shop, name), join(project, name), { recursive: true });
  }
}

/** The shop's services on free ports, so that nothing else on the machine is in the way; no colours in what the runs print. */
export async function shopPorts(): Promise<Record<string, string>> {
  return { NO_COLOR: '1', SHOP_API_PORT: String(await freePort()), SHOP_PROVIDER_PORT: String(await freePort()) };
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const output = (r: Result): string => `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

export interface RunReport {
  exitCode: number;
  commandExitCode: number;
  checks: { total: number; failed: number; overturned: number; list: { assertion: string; pass: boolean; caller?: { file?: string; line?: number; test?: string } }[] };
  runs: unknown[];
}

/** What `tracecheck run --report DIR` wrote for a suite whose every check passed. */
export function expectPassingReport(dir: string, project: string, expectedChecks: number): void {
  for (const f of ['report.json', 'junit.xml', 'index.html']) expect(existsSync(join(dir, f)), f).toBe(true);
  const report = readJson<RunReport>(join(dir, 'report.json'));
  expect(report.exitCode).toBe(0);
  expect(report.commandExitCode).toBe(0);
  expect(report.checks.total).toBe(expectedChecks);
  expect(report.checks.failed).toBe(0);
  expect(report.checks.list.every((c) => c.pass)).toBe(true);
  // Each check names the test that made it, in the project.
  for (const c of report.checks.list) expect(c.caller?.file, c.assertion).toMatch(new RegExp(`^${escapeRegExp(project)}/tests/[^/]+\\.test\\.ts$`));
  // The runs kept their spans for the report.
  expect(readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);

  const cases = testcases(readFileSync(join(dir, 'junit.xml'), 'utf8'));
  expect(cases).toHaveLength(expectedChecks);
  for (const c of cases) {
    expect(c.failure, c.name).toBeUndefined();
    expect(c.file, c.name).toMatch(new RegExp(`^${escapeRegExp(project)}/tests/[^/]+\\.test\\.ts$`));
    expect(Number(c.line), c.name).toBeGreaterThan(0);
  }
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain('<dd id="exit-code">0 (command: 0)</dd>');
  expect(html).toContain(`<dd id="checks-count">${expectedChecks}: <span class="count passed">${expectedChecks} passed</span>`);
  expect(html).not.toMatch(/class="check (failed|overturned)"/);
}

/** How many checks the passing tests (tests/*.test.ts, not tests/failing/) make: one per `await expect(run).toHold(`. */
export function checksInPassingTests(project: string): number {
  return readdirSync(join(project, 'tests'))
    .filter((f) => f.endsWith('.test.ts'))
    .reduce((n, f) => n + (readFileSync(join(project, 'tests', f), 'utf8').match(/await expect\(run\)\.toHold\(/g) ?? []).length, 0);
}

/**
 * A fresh project for `line` in `base`/vitest-<line> that installed the tarballs in `tarballs` (copied
 * to its vendor/) with that line's Vitest and zod, examples/vitest-shop copied in. Returns its path.
 */
export async function installShopProject(base: string, tarballs: string, line: Line): Promise<string> {
  const project = join(base, `vitest-${line.name}`);
  mkdirSync(project);
  cpSync(tarballs, join(project, 'vendor'), { recursive: true });
  await installProject(project, { ...line.versions, zod: shopManifest.devDependencies!.zod! });
  copyShop(project);
  return project;
}
