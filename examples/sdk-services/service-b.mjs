// Service B (started with `node --import @tracecheck/sdk/register`): POST /reserve answers whether
// the SKU is in stock.
import { createServer } from 'node:http';

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const { sku } = JSON.parse(body || '{}');
  res.writeHead(sku ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ sku, reserved: Boolean(sku) }));
});

server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
