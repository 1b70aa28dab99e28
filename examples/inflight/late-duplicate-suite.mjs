// A test suite in miniature, run under `tracecheck run`: it starts the API (whose bug sends the
// shipping webhook again from a bare timer LATE_DUPLICATE_MS after the request), ships an order,
// checks `exactly 1` (which passes once the run is quiet: nothing in the run shows the timer), then
// goes on with "other tests" for a while and exits 0. The duplicate arrives meanwhile; tracecheck
// run re-verifies the pass at the end and fails the build.
import { TracecheckClient } from '@tracecheck/client';
import { start } from './start.mjs';

const runId = process.env.RUN_ID ?? 'late-1';
const sink = await start('sink.mjs', {}, false);
const api = await start('api.mjs', { OTEL_SERVICE_NAME: 'api', SINK_URL: `http://127.0.0.1:${sink.port}`, LATE_DUPLICATE_MS: process.env.LATE_DUPLICATE_MS ?? '1500' });
try {
  const res = await fetch(`http://127.0.0.1:${api.port}/orders/9/ship`, { method: 'POST', headers: { baggage: `test.run.id=${runId}` } });
  if (!res.ok) throw new Error(`ship answered ${res.status}`);
  const verdict = await new TracecheckClient().check(runId, 'exactly 1 "fulfillment.webhook.send"');
  console.log(`check: ${verdict.pass ? 'passed' : 'failed'} (${verdict.reason}, ${verdict.waitedMs} ms)`);
  // The rest of the suite runs on; the bare timer fires meanwhile.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.SUITE_REST_MS ?? 2500)));
} finally {
  for (const p of [api, sink]) p.child.kill();
}
