#!/usr/bin/env node
// Checks that dependencies between workspace packages point one way (the `allowed` table below: the
// model at the bottom, the CLI on top; README.md, "Repository layout"), and that
// source files import only packages their package.json declares (like Playwright's DEPS.list).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const allowed = {
  model: [],
  otlp: ['model'],
  store: ['model', 'otlp'],
  lang: ['model'],
  client: ['model', 'lang'],
  receiver: ['model', 'otlp', 'store', 'lang'],
  // Tempo as a run source: decodes trace-by-id answers (otlp), decides with lang, answers like the client.
  tempo: ['model', 'otlp', 'lang', 'client'],
  // The SDK reads only the wire names (`@tracecheck/model/wire`), so it loads nothing else of ours.
  sdk: ['model'],
  vitest: ['model', 'lang', 'client', 'receiver'],
  playwright: ['model', 'lang', 'client', 'receiver'],
  cli: ['model', 'otlp', 'store', 'lang', 'client', 'receiver', 'tempo'],
};

const root = new URL('..', import.meta.url).pathname;
const problems = [];
// Tests beside the code may also use the workspace's own tools (vitest).
const rootDevDeps = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies ?? {});

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield path;
  }
}

for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Runtime dependencies follow the direction; devDependencies serve the package's own tests only.
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const devDeclared = new Set(Object.keys(manifest.devDependencies ?? {}));
  const rule = allowed[pkg];
  if (!rule) {
    problems.push(`packages/${pkg}: not in scripts/check-deps.mjs; add it with the packages it may depend on`);
    continue;
  }
  for (const dep of declared) {
    const m = /^@tracecheck\/(.+)$/.exec(dep);
    if (m && !rule.includes(m[1])) problems.push(`packages/${pkg}/package.json: @tracecheck/${pkg} must not depend on ${dep} (allowed: ${rule.join(', ') || 'none'})`);
  }
  for (const file of sourceFiles(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // Static imports/re-exports (`import x from '...'`, `export { x } from '...'`, `import '...'`) and
    // dynamic `import('...')`; a call such as Buffer.from('...') must not count.
    const specs = [
      ...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
      ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ];
    for (const m of specs) {
      const spec = m[1];
      const where = relative(root, file);
      if (spec.startsWith('.')) {
        const target = relative(dir, join(file, '..', spec));
        if (target.startsWith('..')) problems.push(`${where}: '${spec}' reaches outside the package; import the other package by name`);
        continue;
      }
      if (spec.startsWith('node:')) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const isTest = /\.test\.[mc]?[jt]s$/.test(file) || file.includes('/test-support/') || file.includes('/testing/');
      if (!declared.has(name) && !(isTest && (devDeclared.has(name) || rootDevDeps.includes(name)))) problems.push(`${where}: imports '${name}', which packages/${pkg}/package.json does not declare`);
      if (/^@tracecheck\/[^/]+\/(src|dist)\//.test(spec)) problems.push(`${where}: '${spec}' imports another package's internals`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Dependency rules broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('dependency rules hold');
