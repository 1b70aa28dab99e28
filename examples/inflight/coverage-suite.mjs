// A suite in miniature for effect coverage, run under `tracecheck run --report`: two checkouts (CRM,
// analytics, the fulfillment webhook, a queued email). The first is guarded by two checks, the
// second by an effect snapshot that leaves analytics out; analytics is then asserted nowhere.
import { TestRun, TracecheckClient } from '@tracecheck/client';
import { effectSnapshot, parseSnapshot } from '@tracecheck/lang';
import { start } from './start.mjs';

const client = new TracecheckClient();
const sink = await start('sink.mjs', {}, false);
const api = await start('api.mjs', { OTEL_SERVICE_NAME: 'api', SINK_URL: `http://127.0.0.1:${sink.port}` });
const worker = await start('worker.mjs', { OTEL_SERVICE_NAME: 'worker', SINK_URL: `http://127.0.0.1:${sink.port}`, API_URL: `http://127.0.0.1:${api.port}`, POLL_MS: '100' });
try {
  const checked = new TestRun(client, 'coverage-checked');
  await checked.fetch(`http://127.0.0.1:${api.port}/orders/1/checkout`, { method: 'POST' });
  for (const a of ['exactly 1 "fulfillment.webhook.send"', 'some { name = "crm.lead.create" }']) {
    const v = await checked.check(a);
    console.log(`${v.pass ? 'passed' : 'FAILED'}: ${a}`);
  }
  const snapped = new TestRun(client, 'coverage-snapshot');
  await snapped.fetch(`http://127.0.0.1:${api.port}/orders/2/checkout`, { method: 'POST' });
  await snapped.close();
  const text = effectSnapshot(await snapped.spans(), { exclude: ['analytics.track'] });
  await client.recordSnapshot(snapped.id, [...parseSnapshot(text).groups.keys()]);
  console.log(`snapshot of ${snapped.id}: ${parseSnapshot(text).groups.size} effects`);
  await checked.close();
} finally {
  for (const p of [worker, api, sink]) p.child.kill();
}
