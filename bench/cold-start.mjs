#!/usr/bin/env node
// CLI cold start: how long a `tracecheck` process takes before it does its job, side by side in one
// run so that a noisy machine moves every figure together and the ratios still hold.
//
//   pnpm run build && node bench/cold-start.mjs [--runs 15] [--compare OTHER/packages/cli/bin/tracecheck.js]
//
// Candidates, each a fresh process per run, interleaved round by round:
//   node -e ''                 the baseline: starting Node itself
//   tracecheck --help          the CLI with nothing to do
//   tracecheck check --file    one assertion on a small OTLP JSON-lines file (3 spans), to exit
//   tracecheck receive         until it prints its ready line (then stopped with SIGTERM, untimed)
// Prints the median and the fastest run of each, and the median's ratio to the baseline's.
// --compare adds the three tracecheck candidates of another build (say, an older commit's checkout,
// built) to the same rounds, for a before/after that one noisy minute cannot skew.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSpan } from '@tracecheck/model';
import { encodeJsonRequest } from '@tracecheck/otlp';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, compare: { type: 'string' } } });
const RUNS = Number(values.runs);
const cli = fileURLToPath(new URL('../packages/cli/bin/tracecheck.js', import.meta.url));

/** A small run on disk: a server span and two effects under it, one request per line. */
function writeFixture(dir) {
  const trace = 'ab'.repeat(16);
  const at = (ms) => 1_700_000_000_000_000_000n + BigInt(ms) * 1_000_000n;
  const root = createSpan({ traceId: trace, spanId: '1'.padStart(16, '0'), name: 'POST /refunds', kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(30), attributes: { 'test.run.id': 'bench' } });
  const child = (n, name) => createSpan({ traceId: trace, spanId: String(n).padStart(16, '0'), parentSpanId: root.spanId, name, startTimeUnixNano: at(n * 5), endTimeUnixNano: at(n * 5 + 3) });
  const file = join(dir, 'small.jsonl');
  writeFileSync(file, `${encodeJsonRequest([root])}\n${encodeJsonRequest([child(2, 'refund.requested'), child(3, 'stripe.refund.create')])}\n`);
  return file;
}

/** Milliseconds from spawn until the process exits (or, with `until`, prints a matching line). */
function timeProcess(args, { until, expectCode = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt;
    child.stdout.on('data', (d) => {
      out += d;
      if (until && readyAt === undefined && until.test(out)) {
        readyAt = elapsed();
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const ms = until ? readyAt : elapsed();
      if (ms === undefined || (!until && code !== expectCode)) reject(new Error(`${args.join(' ')}: exit ${code}\n${out}${err}`));
      else resolve(ms);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tracecheck-cold-start-'));
const fixture = writeFixture(dir);
const commands = (bin, tag) => [
  { label: `tracecheck --help${tag}`, args: [bin, '--help'] },
  { label: `tracecheck check --file small.jsonl 'some "refund.requested"'${tag}`, args: [bin, 'check', '--file', fixture, 'some "refund.requested"'] },
  { label: `tracecheck receive (to ready line)${tag}`, args: [bin, 'receive', '--http-port', '0', '--grpc-port', '0'], until: /^tracecheck ready /m },
];
const candidates = [
  { label: "node -e ''", args: ['-e', ''] },
  ...commands(cli, values.compare === undefined ? '' : ' [this build]'),
  ...(values.compare === undefined ? [] : commands(values.compare, ' [--compare]')),
];

try {
  // One untimed round warms the file system cache, as a developer's second run would be.
  for (const c of candidates) await timeProcess(c.args, c);
  const times = candidates.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    for (const [i, c] of candidates.entries()) times[i].push(await timeProcess(c.args, c));
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const base = median(times[0]);
  const width = Math.max(...candidates.map((c) => c.label.length));
  console.log(`cold start, ${RUNS} runs each, Node ${process.version}`);
  console.log(`${'candidate'.padEnd(width)}  median    fastest   x baseline`);
  for (const [i, c] of candidates.entries()) {
    const m = median(times[i]);
    const best = Math.min(...times[i]);
    console.log(`${c.label.padEnd(width)}  ${m.toFixed(0).padStart(5)} ms  ${best.toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2).padStart(6)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
