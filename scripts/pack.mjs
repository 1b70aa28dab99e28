#!/usr/bin/env node
// `npm run pack`: one installable tarball per public package, for trying tracecheck in another project
// before it is published: `npm i /path/to/tracecheck/packs/*.tgz`.
//
// 1. builds (tsc -b tsconfig.build.json) and removes build output whose source is gone or no longer
//    built (tsc -b never deletes; a stale dist/ file would ship);
// 2. packs every package under packages/ that is not private with `pnpm pack`, which turns the
//    `workspace:*` ranges into the packages' versions (`npm pack` would leave them, and npm cannot
//    install those) into packs/, after emptying it of older tarballs;
// 3. refuses (exit 1) a tarball a user could not use: an `exports` or `bin` target that is not in it,
//    a condition named plain `source` (other projects' tools use that name; ours is
//    `@tracecheck/source`), a `workspace:` range left, tests or tsbuildinfo shipped, TypeScript sources
//    shipped that the build does not compile, versions out of lockstep;
// 4. prints the tarballs written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packsDir = join(root, 'packs');
const require = createRequire(join(root, 'package.json'));
const tsc = require.resolve('typescript/bin/tsc');
// The workspace's own pnpm (a devDependency; its package exports only its package.json, as '.').
const pnpm = join(require.resolve('pnpm'), '..', 'bin', 'pnpm.cjs');

/** The packages `npm run pack` packs: every packages/<dir>/package.json without `private: true`. */
function publicPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .map((name) => ({ dir: join(dir, name), manifest: JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')) }))
    .filter((p) => p.manifest.private !== true);
}

function fail(message) {
  console.error(`npm run pack: ${message}`);
  process.exit(1);
}

/** Every file path under `dir`, relative to it, with / separators. */
function walk(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function removeEmptyDirs(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      removeEmptyDirs(path);
      if (readdirSync(path).length === 0) rmdirSync(path);
    }
  }
}

const outputSuffix = /\.(d\.[mc]?ts|[mc]?js)(\.map)?$/;
const sourceSuffix = /\.[mc]?tsx?$/;

/**
 * The TypeScript files the package's build compiles (relative to the package, `src/a.ts`), and
 * removes from its outDir the compiler output (.js, .d.ts and their maps) of any other file.
 */
function compiledSourcesAndPrune(pkgDir) {
  const tsconfig = join(pkgDir, 'tsconfig.json');
  if (!existsSync(tsconfig)) return undefined;
  const config = JSON.parse(execFileSync(process.execPath, [tsc, '--showConfig', '-p', tsconfig], { cwd: root, encoding: 'utf8' }));
  const rootDir = join(pkgDir, config.compilerOptions?.rootDir ?? '.');
  const outDir = join(pkgDir, config.compilerOptions?.outDir ?? '.');
  const sources = (config.files ?? []).map((f) => join(pkgDir, f)).filter((f) => !f.endsWith('.d.ts'));
  const stems = new Set(sources.map((f) => relative(rootDir, f).replace(sourceSuffix, '')));
  if (outDir !== pkgDir && existsSync(outDir)) {
    const stale = walk(outDir).filter((f) => outputSuffix.test(f) && !stems.has(f.replace(outputSuffix, '')));
    for (const f of stale) rmSync(join(outDir, f));
    if (stale.length > 0) {
      console.log(`removed stale build output (no source any more) in ${relative(root, outDir)}: ${stale.join(', ')}`);
      removeEmptyDirs(outDir);
    }
  }
  return new Set(sources.map((f) => relative(pkgDir, f).split('\\').join('/')));
}

/** Every file an `exports` value points at (conditions and subpaths flattened), with its condition path. */
function exportTargets(value, path = []) {
  if (typeof value === 'string') return [{ path, target: value }];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, path));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => exportTargets(v, [...path, k]));
  return [];
}

/** What is wrong with a packed tarball, from the packed package.json and its file list. */
function problemsOf(manifest, files, compiled) {
  const problems = [];
  const has = (target) => files.has(target.replace(/^\.\//, ''));
  for (const { path, target } of exportTargets(manifest.exports)) {
    if (path.includes('source')) problems.push(`exports ${path.join(' > ')}: a condition named 'source' is resolved by other projects' tools too; name it '@tracecheck/source' (as tsconfig.json and vitest.config.ts do)`);
    if (!target.includes('*') && !has(target)) problems.push(`exports ${path.join(' > ')}: ${target} is not in the tarball (not built? is the package in tsconfig.build.json's references? not in "files"? a package not ready to ship can be "private": true until it is)`);
  }
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) if (!has(target)) problems.push(`bin ${name}: ${target} is not in the tarball`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) if (String(range).startsWith('workspace:')) problems.push(`${field} ${name}: '${range}' left in the packed package.json`);
  }
  for (const f of files) {
    if (/\.test\.[mc]?[jt]sx?(\.map)?$|\.test\.d\.[mc]?ts/.test(f) || f.endsWith('.tsbuildinfo')) problems.push(`${f}: tests and build state do not belong in the tarball (see "files")`);
    if (compiled && sourceSuffix.test(f) && !f.endsWith('.d.ts') && !compiled.has(f)) problems.push(`${f}: TypeScript the build does not compile (a test helper?); leave it out with a "!..." entry in "files"`);
  }
  if (![...files].some((f) => /^readme(\.|$)/i.test(f))) console.warn(`npm run pack: warning: ${manifest.name} has no README`);
  return problems;
}

function main() {
  const packages = publicPackages();
  if (packages.length === 0) fail('no public package under packages/');
  const versions = new Set(packages.map((p) => p.manifest.version));
  if (versions.size > 1) fail(`the packages are released in lockstep, but their versions differ: ${packages.map((p) => `${p.manifest.name}@${p.manifest.version}`).join(', ')}`);

  console.log('building (tsc -b tsconfig.build.json)...');
  try {
    execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  } catch {
    fail('the build failed; nothing was packed');
  }

  mkdirSync(packsDir, { recursive: true });
  for (const f of readdirSync(packsDir)) if (f.endsWith('.tgz')) rmSync(join(packsDir, f));

  const written = [];
  const problems = [];
  for (const { dir, manifest } of packages) {
    const compiled = compiledSourcesAndPrune(dir);
    let result;
    try {
      const out = execFileSync(process.execPath, [pnpm, 'pack', '--pack-destination', packsDir, '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      result = JSON.parse(out.slice(out.indexOf('{')));
    } catch (error) {
      // pnpm reports its error as JSON on stdout with --json (a workspace: dependency not installed: run pnpm install).
      let message = `${error.stderr ?? ''}`.trim() || error.message;
      try {
        message = JSON.parse(`${error.stdout}`.slice(`${error.stdout}`.indexOf('{'))).error?.message ?? message;
      } catch {
        // Not JSON; keep stderr.
      }
      problems.push(`${manifest.name}: pnpm pack failed: ${message}`);
      continue;
    }
    const tarball = result.filename.startsWith('/') || /^[A-Za-z]:/.test(result.filename) ? result.filename : join(packsDir, result.filename);
    const files = new Set(result.files.map((f) => f.path));
    // The manifest as packed: pnpm rewrote the workspace: ranges (and applied publishConfig).
    const packed = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const found = problemsOf(packed, files, compiled);
    if (found.length > 0) {
      rmSync(tarball);
      problems.push(...found.map((p) => `${manifest.name}: ${p}`));
      continue;
    }
    written.push({ name: manifest.name, tarball, files: files.size, bytes: statSync(tarball).size });
  }
  if (problems.length > 0) {
    // A partial set would install as if complete; leave none.
    for (const w of written) rmSync(w.tarball);
    fail(`no tarball written; what a user could not install or use:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  console.log(`\n${written.length} tarballs in ${relative(process.cwd(), packsDir) || '.'}/:`);
  for (const w of written) console.log(`  ${relative(process.cwd(), w.tarball)}  ${(w.bytes / 1024).toFixed(1)} kB, ${w.files} files`);
  console.log(`\nInstall them in another project: npm i ${join(packsDir, '*.tgz')}`);
}

main();
