// Worker C (starts tracing in code with startTracing()): consumes order messages and charges the
// card at the payment endpoint through effect().
import { consume, effect, startTracing } from '@tracecheck/sdk';

startTracing({ serviceName: 'worker-c' });
const { listenQueue } = await import('./line-queue.mjs');

const paymentUrl = process.env.PAYMENT_URL;

const server = await listenQueue((message) =>
  consume('orders', message.headers, () => {
    const order = message.body;
    const payload = { amount: order.amount, currency: 'EUR', card: order.card, password: order.password, headers: { authorization: `Bearer ${order.token}` } };
    return effect('payment.charge', { 'order.id': order.id, amount: order.amount, payload }, async (span) => {
      const res = await fetch(paymentUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${order.token}` }, body: JSON.stringify(payload) });
      const charge = await res.json();
      span.setAttribute('charge.id', charge.id);
      return charge;
    });
  }, { system: 'line-queue' }),
);

console.log(`ready ${server.address().port}`);
