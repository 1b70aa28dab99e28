// Service A (started with `node --import @tracecheck/sdk/register`): POST /orders reserves stock at
// service B over HTTP, then publishes an order message for worker C.
import { createServer } from 'node:http';
import { produce } from '@tracecheck/sdk';
import { queuePublisher } from './line-queue.mjs';

const inventoryUrl = process.env.INVENTORY_URL;
const queue = queuePublisher(Number(process.env.QUEUE_PORT));

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const order = JSON.parse(body || '{}');
  const reserved = await fetch(`${inventoryUrl}/reserve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: order.sku }) });
  if (!reserved.ok) {
    res.writeHead(409).end();
    return;
  }
  await produce('orders', {}, (headers) => queue.publish({ headers, body: order }), { system: 'line-queue', details: { 'order.id': order.id } });
  res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: order.id }));
});

server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
