#!/usr/bin/env node
// Fuzzing campaign against `tracecheck receive` (build first: pnpm run build).
//
//   node scripts/fuzz.mjs --inputs 100000 --seed 7          a long campaign
//   node scripts/fuzz.mjs --seed 7 --only 4211 --verbose    replays one input of it
//
// Prints the inputs tried, the answers seen, the worst /healthz latency and the peak RSS, then
// every violation with the seed and index that replays it; exits 1 when there is one.
import { parseArgs } from 'node:util';
import { mb, runCampaign } from './fuzz/campaign.mjs';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'max-seconds': { type: 'string' },
    'max-memory': { type: 'string', default: '64MiB' },
    'max-in-flight': { type: 'string', default: '64MiB' },
    verbose: { type: 'boolean', default: false },
  },
});

const result = await runCampaign({
  seed: Number(values.seed),
  inputs: Number(values.inputs),
  only: values.only === undefined ? undefined : Number(values.only),
  concurrency: Number(values.concurrency),
  maxSeconds: values['max-seconds'] === undefined ? Infinity : Number(values['max-seconds']),
  maxMemory: values['max-memory'],
  maxInFlight: values['max-in-flight'],
  log: (index, input, code) => {
    if (values.verbose) console.log(`#${index} ${input.kind} (${input.note}) -> ${code}`);
    else if (index % 1000 === 999) console.error(`… ${index + 1} inputs`);
  },
});

console.log(`seed ${result.seed}: ${result.tried} inputs in ${result.seconds.toFixed(1)} s`);
console.log('answers:');
for (const [k, n] of Object.entries(result.codes).sort()) console.log(`  ${k.padEnd(32)} ${n}`);
console.log(`worst /healthz latency: ${result.worstHealthMs.toFixed(0)} ms over ${result.healthChecks} polls`);
if (result.worstStall.index !== undefined) {
  const w = result.worstStall;
  console.log(`longest event-loop stall in the receiver: ${w.ms} ms, with input #${w.index} (${w.kind}, ${w.note}) in flight`);
}
console.log(`peak RSS: ${result.peakRssBytes === undefined ? 'unknown' : mb(result.peakRssBytes)} (bound ${mb(result.boundBytes)})`);
if (result.stats) console.log(`receiver stats: ${JSON.stringify(result.stats)}`);
if (result.violations.length === 0) console.log('no violation');
else {
  console.log(`${result.violations.length} violation(s):`);
  for (const v of result.violations.slice(0, 50)) console.log(`  ${v.what}${v.index === undefined ? '' : ` — replay: node scripts/fuzz.mjs --seed ${v.seed} --only ${v.index} --verbose (${v.kind}, ${v.note})`}`);
  process.exitCode = 1;
}
