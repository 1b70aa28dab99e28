// The header shapes of two real broker clients, without a broker: what kafkajs and amqplib hand to
// `send`/`publish`, and what they deliver to the consumer. Only the carriers matter here; with a real
// broker, replace the `deliver*` functions by the client's calls.
//
//   node --import @tracecheck/sdk/register broker-headers.mjs
import { context, propagation } from '@opentelemetry/api';
import { consume, effect, produce } from '@tracecheck/sdk';

// kafkajs: producer.send({ topic, messages: [{ key, value, headers }] }); header values come back as
// Buffers in eachMessage({ topic, partition, message }).
function deliverKafka(record, eachMessage) {
  for (const m of record.messages) {
    const headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(String(v))]));
    setTimeout(() => eachMessage({ topic: record.topic, partition: 0, message: { key: Buffer.from(m.key), value: Buffer.from(m.value), headers } }), 5);
  }
}

// amqplib: channel.publish(exchange, routingKey, content, { headers }); the consumer gets
// msg.properties.headers as given.
function deliverAmqp(exchange, routingKey, content, options, onMessage) {
  setTimeout(() => onMessage({ content, fields: { exchange, routingKey }, properties: { headers: { ...options.headers } } }), 5);
}

const run = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: process.env.RUN_ID ?? 'example-run' } }));
context.with(run, () => {
  produce('refunds', {}, (headers) =>
    deliverKafka({ topic: 'refunds', messages: [{ key: 'r-1', value: JSON.stringify({ amount: 2500 }), headers }] }, ({ topic, message }) =>
      consume(topic, message.headers, () => effect('ledger.write', { amount: JSON.parse(message.value.toString()).amount }, () => 'ok'), { system: 'kafka' }),
    ),
  { system: 'kafka' });

  produce('webhooks', {}, (headers) =>
    deliverAmqp('events', 'webhooks', Buffer.from('{"event":"refund.created"}'), { headers, persistent: true }, (msg) =>
      consume(msg.fields.routingKey, msg.properties.headers, () => effect('webhook.post', { payload: JSON.parse(msg.content.toString()) }, () => 'ok'), { system: 'rabbitmq' }),
    ),
  { system: 'rabbitmq' });
});
console.log('published 2 messages');
