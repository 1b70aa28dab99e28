#!/usr/bin/env node
// The hostile campaign's inputs that used to stop the receiver, one at a time against
// `tracecheck receive` in a child process: the answer, how long it took, and the longest the
// receiver's event loop was held meanwhile (its GET /api/stats), with /healthz polled alongside.
//
//   pnpm run build && node bench/hostile.mjs
import { gzipSync } from 'node:zlib';
import { startReceiverProcess } from '../scripts/fuzz/campaign.mjs';
import { bigIntArrayRequest, chainRequest } from '../scripts/fuzz/protobuf.mjs';

const receiver = startReceiverProcess();
const { http } = await receiver.ready;

const post = (path, body, headers) => fetch(`${http}${path}`, { method: 'POST', body, headers });
const check = (assertion, run = 'bench') => post('/api/check', JSON.stringify({ run, assertion, timeoutMs: 100 }), { 'content-type': 'application/json' });

// Ten spans with 100 KB values, for the near-miss case.
const big = 'q'.repeat(100_000);
await post(
  '/v1/traces',
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 10 }, (_, i) => ({ traceId: 'ab'.repeat(16), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'op', attributes: [{ key: 'test.run.id', value: { stringValue: 'bench' } }, { key: 'big', value: { stringValue: big + i } }] })) }] }],
  }),
  { 'content-type': 'application/json' },
);

const bigGzip = gzipSync(bigIntArrayRequest(15_000_000, { run: 'huge' }));
const cases = [
  ['3,000 nested parentheses in a filter', () => check(`some { ${'('.repeat(3000)}.a = 1${')'.repeat(3000)} }`)],
  ['a >> chain of 10,000', () => check(`some ${Array(10_000).fill('{}').join('>>')}`)],
  ['10,000 !', () => check(`some { ${'!'.repeat(10_000)}true }`)],
  ['1 + 1 + … of 10,000', () => check(`some { ${Array(10_000).fill('1').join(' + ')} = 2 }`)],
  ['near misses: 10 × 100 KB values vs a 1,000-character literal', () => check(`some { span.big = "${'x'.repeat(1000)}" }`)],
  ['58 KB gzip: an array of 15 million ints', () => post('/v1/traces', bigGzip, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' })],
  ['the same, three at once', () => Promise.all([0, 1, 2].map(() => post('/v1/traces', bigGzip, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }))).then((r) => r[0])],
  ['8,000 traces each linking to the previous one', () => post('/v1/traces', chainRequest(8000, 'chain'), { 'content-type': 'application/x-protobuf' })],
];

console.log('input'.padEnd(64), 'answer', 'time'.padStart(9), 'worst /healthz'.padStart(15));
for (const [name, run] of cases) {
  let worst = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const t = performance.now();
      await (await fetch(`${http}/healthz`)).arrayBuffer();
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t = performance.now();
  const res = await run();
  await res.arrayBuffer();
  const ms = performance.now() - t;
  polling = false;
  await poll;
  console.log(name.padEnd(64), String(res.status).padEnd(6), `${ms.toFixed(0)} ms`.padStart(9), `${worst.toFixed(0)} ms`.padStart(15));
}
const stats = await (await fetch(`${http}/api/stats`)).json();
console.log(`longest event-loop stall in the receiver: ${stats.maxEventLoopDelayMs} ms; peak RSS ${Math.round(stats.process.rss / 2 ** 20)} MiB now`);
receiver.child.kill('SIGTERM');
await receiver.exited;
