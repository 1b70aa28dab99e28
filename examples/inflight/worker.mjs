// The worker (run with `node --import @tracecheck/sdk/register worker.mjs`): polls the API's job
// queues every POLL_MS (default 1000) and runs each job inside a consumer span. The fulfillment job
// has the classic bug: it sends the webhook, gets a 202, waits RETRY_AFTER_MS inside the job (a
// backoff meant for failures) and sends it again.
import { consume, effect } from '@tracecheck/sdk';

const api = process.env.API_URL;
const sink = process.env.SINK_URL;
const pollMs = Number(process.env.POLL_MS ?? 1000);
const retryAfterMs = Number(process.env.RETRY_AFTER_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const jobs = {
  async fulfillment({ orderId }) {
    const payload = { order_id: orderId, status: 'ready' };
    const send = () => effect('fulfillment.webhook.send', { 'order.id': orderId, payload }, () => fetch(`${sink}/warehouse`, { method: 'POST', body: JSON.stringify(payload) }));
    await send();
    if (retryAfterMs > 0) {
      await sleep(retryAfterMs);
      await send();
    }
  },
  async 'email-jobs'({ to }) {
    const payload = { to, template: 'welcome' };
    await effect('email.send', { to, payload }, () => fetch(`${sink}/mail`, { method: 'POST', body: JSON.stringify(payload) }));
  },
};

async function poll(queue) {
  for (;;) {
    const res = await fetch(`${api}/jobs/next?queue=${queue}`).catch(() => undefined);
    const job = res?.ok ? await res.json() : null;
    if (job) await consume(queue, job.headers, () => jobs[queue](job.body)).catch((e) => console.error(e));
    else await sleep(pollMs);
  }
}

for (const queue of Object.keys(jobs)) void poll(queue);
console.log('ready 0');
