// The payment provider's and mailer's sandbox (a stand-in for Stripe and an email API): a third party
// with no instrumentation, so it exports no spans; the API's spans of its calls are the evidence.
//   POST /v1/charges  201 {id}
//   POST /v1/emails   202
//   GET /health       200
import { createServer } from 'node:http';

let charges = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') return reply(200, { ok: true });
    if (req.method === 'POST' && req.url === '/v1/charges') return setTimeout(() => reply(201, { id: `ch_${++charges}` }), 10);
    if (req.method === 'POST' && req.url === '/v1/emails') return setTimeout(() => reply(202, { queued: true }), 5);
    reply(404, { error: 'not found' });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${server.address().port}`));
