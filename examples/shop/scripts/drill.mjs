#!/usr/bin/env node
// The fault drill (`npm run drill`): for each incident of faults.mjs, a copy of the shop runs with
// SHOP_FAULT=<name>, and two tests of the broken workflow run against it: the ordinary UI- or
// HTTP-level test, which checks what the user sees (it still passes), and the tracecheck test, which
// must fail naming the broken effect. A copy without faults runs the whole suite, which must be green.
//
// One receiver and one set of third-party sandboxes serve every copy (runs keep the tests apart; the
// sandboxes hand out unique ids); each copy has its own queue, API, worker and web front end. Copies
// run in parallel, `--jobs N` at a time (default 4: on two cores, more makes the startup bursts
// collide without making the drill faster).
//
// Prints a table (workflow, fault, the ordinary test's verdict, tracecheck's, the first line of its
// message), then `N of 8 faults caught`. Exits 0 only when all 8 are caught, every ordinary test
// passed, and the suite without faults passed.
//   node scripts/drill.mjs [--jobs N] [--only fault,fault] [--verbose]
import { parseArgs } from 'node:util';
import { FAULTS } from '../faults.mjs';
import { freePortsEnv, receiverEnv, SANDBOXES, startStack } from '../stack.mjs';
import { startReceiver } from './receiver.mjs';
import { runTests } from './run-tests.mjs';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '4' }, only: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
const jobs = Math.max(1, Number(values.jobs));
const faults = values.only ? FAULTS.filter((f) => values.only.split(',').includes(f.name)) : FAULTS;
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

const COPY = ['queue', 'api', 'worker', 'web'];
const THIRD_PARTIES = SANDBOXES.filter((n) => !COPY.includes(n));

const receiver = await startReceiver();
const base = { ...receiverEnv(receiver.url), ...(await freePortsEnv(THIRD_PARTIES)) };
const sandboxes = await startStack({ names: THIRD_PARTIES, env: base });
console.log(`drill: receiver ${receiver.url}; ${THIRD_PARTIES.length} third-party sandboxes up; ${faults.length} faults and the suite without faults, ${jobs} at a time\n`);

/** Starts a copy of the shop with `fault`, runs `fn(env)` against it, stops it. */
async function withCopy(fault, fn) {
  const env = { ...base, ...(await freePortsEnv(COPY)), SHOP_FAULT: fault };
  const copy = await startStack({ names: COPY, env });
  try {
    return await fn(env, copy);
  } finally {
    await copy.stop();
  }
}

/** The line of a failure that says what broke: the verdict's first line, or the changed effect. */
function headline(message) {
  const lines = message.split('\n').map((l) => l.trim().replace(/^(\w*Error: )+/, ''));
  const verdict = lines.find((l) => l.startsWith('✘'));
  if (verdict) return verdict;
  const changed = lines.findIndex((l) => /^The effects of run .* changed:$/.test(l));
  if (changed >= 0) return `${lines[changed + 1]} (effect snapshot)`;
  return lines.find((l) => l !== '') ?? '';
}

/** The evidence under the verdict, in one line: what was received, and the nearest miss or the payload problem. */
function evidence(message) {
  const lines = message.split('\n').map((l) => l.trim());
  const received = lines.find((l) => l.startsWith('Received:'));
  const payload = lines.findIndex((l) => l.startsWith('Payload did not fit'));
  const miss = lines.find((l) => l.startsWith('failed: '));
  const extra = payload >= 0 ? lines[payload + 1].replace(/^.*?· span \w+: /, 'payload: ') : miss;
  return [received, extra].filter(Boolean).join('; ');
}

const log = (fault, text) => values.verbose && process.stdout.write(text.replace(/^(?=.)/gm, `[${fault}] `));

async function drillFault(f) {
  const t0 = Date.now();
  const result = await withCopy(f.name, (env) => runTests(f.runner, { files: [f.ordinary, ...f.tracecheck], env, onOutput: (t) => log(f.name, t) }));
  const ordinary = result.tests.filter((t) => t.file === f.ordinary);
  const checked = result.tests.filter((t) => f.tracecheck.includes(t.file));
  const ordinaryPassed = ordinary.length > 0 && ordinary.every((t) => t.status === 'passed');
  const failedNaming = checked.filter((t) => t.status === 'failed' && t.message.includes(f.effect));
  const caught = checked.length > 0 && failedNaming.length === checked.length;
  const first = checked.find((t) => t.status === 'failed');
  const row = { f, ordinaryPassed, caught, message: first ? headline(first.message) : checked.length === 0 ? `no tracecheck test ran (exit code ${result.code})` : 'passed: the fault went unnoticed', evidence: first ? evidence(first.message) : '', seconds: seconds(t0), result };
  console.log(`drill: ${f.name.padEnd(27)} ${ordinaryPassed ? 'ordinary test passed' : 'ordinary test FAILED'}, ${caught ? 'tracecheck caught it' : 'tracecheck MISSED it'} (${row.seconds})`);
  return row;
}

/** The suite without faults, one runner's part (a copy of the shop each, so the parts run in parallel). */
async function baseline(runner) {
  const t0 = Date.now();
  const result = await withCopy('', (env) => runTests(runner, { env, onOutput: (t) => log(`no fault, ${runner}`, t) }));
  const failed = result.tests.filter((t) => t.status !== 'passed');
  const green = result.code === 0 && result.tests.length > 0 && failed.length === 0;
  console.log(`drill: ${`(no fault) ${runner}`.padEnd(27)} ${result.tests.length - failed.length} of ${result.tests.length} tests passed (${seconds(t0)})`);
  for (const t of failed) console.log(`  failed: ${t.file} > ${t.title}\n${t.message.replace(/^/gm, '    ')}`);
  return { green, tests: result.tests.length };
}

/** Runs `tasks` (functions returning promises) `limit` at a time, results in order. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

let rows;
let suite;
try {
  const results = await pool([() => baseline('playwright'), () => baseline('vitest'), ...faults.map((f) => () => drillFault(f))], jobs);
  const [browser, api] = results;
  suite = { green: browser.green && api.green, tests: browser.tests + api.tests };
  rows = results.slice(2);
} finally {
  await sandboxes.stop();
  await receiver.stop();
}

const header = ['workflow', 'fault (SHOP_FAULT)', 'UI/HTTP test', 'tracecheck', 'first line of its message'];
const table = rows.map((r) => [r.f.workflow, r.f.name, r.ordinaryPassed ? 'passed' : 'FAILED', r.caught ? 'failed: caught' : 'MISSED', r.message]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const format = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
console.log(`\n${format(header)}\n${format(widths.map((w) => '-'.repeat(w)))}`);
for (const row of table) console.log(format(row));
console.log('\nThe evidence under each verdict:');
for (const r of rows) if (r.evidence) console.log(`  ${r.f.name}: ${r.evidence}`);

for (const r of rows.filter((x) => !x.caught || !x.ordinaryPassed)) {
  console.log(`\n${r.f.name}: ${r.f.incident}`);
  for (const t of r.result.tests) console.log(`  ${t.status}: ${t.file} > ${t.title}${t.status === 'failed' ? `\n${t.message.split('\n').slice(0, 30).join('\n').replace(/^/gm, '    ')}` : ''}`);
}

const caught = rows.filter((r) => r.caught).length;
console.log(`\nthe suite without faults: ${suite.green ? `green (${suite.tests} tests)` : 'NOT green'}; every UI/HTTP-level test ${rows.every((r) => r.ordinaryPassed) ? 'passed under its fault' : 'did NOT pass'}; ${seconds(started)} in all`);
console.log(`${caught} of ${rows.length} faults caught`);
process.exitCode = caught === rows.length && rows.length === FAULTS.length && rows.every((r) => r.ordinaryPassed) && suite.green ? 0 : 1;
