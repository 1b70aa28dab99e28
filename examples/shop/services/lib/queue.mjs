// The client of the shop's queue broker (sandboxes/queue.mjs), in the API and the worker. publish()
// sends a message inside a PRODUCER span (`send <queue>`) whose context, with the baggage that holds
// a test's run id, travels in the message headers; subscribe() long-polls a queue and runs each
// message's handler inside a CONSUMER span (`process <queue>`) continuing that context, then
// acknowledges it. A handler that throws leaves the message unacknowledged: the broker delivers it
// again after its visibility timeout.
import { consume, produce } from '@tracecheck/sdk';
import { sleep } from './http.mjs';

const SYSTEM = 'shop-queue';

export function queueClient(brokerUrl) {
  const base = `${brokerUrl}/queues`;
  return {
    /** Publishes `body` on `queue`, delivered after `delayMs` when given (a scheduled job). */
    publish(queue, body, { delayMs } = {}) {
      return produce(
        queue,
        {},
        async (headers) => {
          const res = await fetch(`${base}/${queue}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ headers, body, delay_ms: delayMs }) });
          if (res.status !== 201) throw new Error(`queue ${queue}: publish answered ${res.status}`);
        },
        { system: SYSTEM, details: delayMs ? { 'messaging.message.delay_ms': delayMs } : {} },
      );
    },

    /** Runs `handler(body, message)` for every message of `queue`, `concurrency` at a time. */
    subscribe(queue, handler, { concurrency = 4 } = {}) {
      const loop = async () => {
        for (;;) {
          let message;
          try {
            const res = await fetch(`${base}/${queue}/messages?wait_ms=20000`);
            if (res.status === 204) continue;
            if (res.status !== 200) throw new Error(`answered ${res.status}`);
            message = await res.json();
          } catch (err) {
            console.error(`queue ${queue}: cannot receive (${err.message}); retrying in 1 s`);
            await sleep(1000);
            continue;
          }
          try {
            await consume(queue, message.headers, () => handler(message.body, message), { system: SYSTEM, details: { 'messaging.message.id': message.id, 'messaging.delivery.attempt': message.attempt } });
          } catch (err) {
            console.error(`queue ${queue}: message ${message.id} failed (attempt ${message.attempt}), left for redelivery: ${err.stack}`);
            continue;
          }
          await fetch(`${base}/${queue}/messages/${message.id}/ack`, { method: 'POST' }).catch((err) => console.error(`queue ${queue}: ack of ${message.id} failed: ${err.message}`));
        }
      };
      for (let i = 0; i < concurrency; i++) void loop();
    },
  };
}
