// A load test with the official OpenTelemetry exporters: N processes each end R runs of S spans
// against a real `tracecheck receive`; the harness reads every completed run back, checks each span
// arrived exactly once, and deletes the run (as a finished test does), which frees memory for the
// exporters a small cap keeps refusing (429, retried after Retry-After).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peakRss, startReceiverProcess } from '../../scripts/fuzz/campaign.mjs';

const child = fileURLToPath(new URL('./exporter.mjs', import.meta.url));

/**
 * Runs read back and deleted at once, as a suite's test workers would. The receiver writes a run's
 * spans one part per turn of its event loop, beside every export in flight; with one reader, eight
 * exporters filled the 512 MiB store faster than finished runs were read and deleted, and an HTTP
 * exporter refused (429) five times running gave its batch up.
 */
const READERS = 4;

export async function runLoad({ processes = 4, runs = 2, spans = 1000, protocols = ['http/protobuf', 'http/json'], maxMemory, timeoutMs = 120_000, log = () => {} } = {}) {
  const receiver = startReceiverProcess(maxMemory === undefined ? [] : ['--max-memory', maxMemory]);
  const { http, grpc } = await receiver.ready;
  const started = performance.now();
  const expectedRuns = new Map();
  const exits = [];
  for (let p = 0; p < processes; p++) {
    const protocol = protocols[p % protocols.length];
    for (let r = 0; r < runs; r++) expectedRuns.set(`p${p}-r${r}`, protocol);
    const c = spawn(process.execPath, [child, protocol, http, grpc, `p${p}`, String(runs), String(spans)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    exits.push(new Promise((resolve) => c.on('exit', (code) => resolve({ code, out, err, protocol }))));
  }
  const verified = new Map();
  const problems = [];
  const deadline = performance.now() + timeoutMs;
  let exited;
  void Promise.all(exits).then((e) => (exited = e));
  while (verified.size < expectedRuns.size && performance.now() < deadline) {
    const list = await (await fetch(`${http}/api/runs`)).json();
    const due = list.filter((run) => expectedRuns.has(run.id) && !verified.has(run.id) && run.spans >= spans);
    const verify = async (run) => {
      const body = await (await fetch(`${http}/api/runs/${run.id}/spans`)).json();
      const ids = new Set(body.spans.map((s) => s.spanId));
      const seqs = new Set(body.spans.map((s) => JSON.stringify(s.attributes.find((a) => a.key === 'seq')?.value)));
      const duplicated = body.spans.length - ids.size;
      const missing = spans - seqs.size;
      if (duplicated !== 0 || missing !== 0 || body.spans.length !== spans) problems.push(`${run.id}: ${body.spans.length} spans, ${duplicated} duplicated, ${missing} missing`);
      verified.set(run.id, body.spans.length);
      await fetch(`${http}/api/runs/${run.id}`, { method: 'DELETE' });
      log(`verified ${run.id} (${verified.size}/${expectedRuns.size})`);
    };
    let next = 0;
    await Promise.all(Array.from({ length: READERS }, async () => {
      while (next < due.length) await verify(due[next++]);
    }));
    if (exited !== undefined && verified.size < expectedRuns.size) {
      // Every exporter is done: what has not arrived within a settle period is lost.
      await new Promise((r) => setTimeout(r, 500));
      const left = (await (await fetch(`${http}/api/runs`)).json()).filter((r) => expectedRuns.has(r.id) && !verified.has(r.id));
      if (left.length === 0 || left.every((r) => r.spans < spans)) {
        for (const r of left) {
          problems.push(`${r.id}: ${r.spans} of ${spans} spans arrived`);
          verified.set(r.id, r.spans);
        }
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const results = await Promise.all(exits);
  for (const e of results) if (e.code !== 0) problems.push(`an exporter process (${e.protocol}) exited ${e.code}: ${e.err.slice(-500)}`);
  for (const [id] of expectedRuns) if (!verified.has(id)) problems.push(`${id}: never complete`);
  const stats = await (await fetch(`${http}/api/stats`)).json();
  const rss = peakRss(receiver.child.pid);
  receiver.child.kill('SIGTERM');
  await receiver.exited;
  const received = [...verified.values()].reduce((a, b) => a + b, 0);
  const sent = processes * runs * spans;
  return { sent, received, lost: sent - received, seconds: (performance.now() - started) / 1000, refusedFull: stats.requests.full, maxEventLoopDelayMs: stats.maxEventLoopDelayMs, peakRssBytes: rss, problems };
}
