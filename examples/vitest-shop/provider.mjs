// A stand-in for the shop's third parties (payment provider, warehouse, mailer): not instrumented,
// answers every POST after a short delay, as a provider's sandbox would.
//   POST /charges, /refunds  201 {id}
//   POST /warehouse/orders   202
//   POST /mail               202
import { createServer } from 'node:http';

let next = 1;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () =>
    setTimeout(() => {
      const created = req.url === '/charges' || req.url === '/refunds';
      res.writeHead(created ? 201 : 202, { 'content-type': 'application/json' });
      res.end(JSON.stringify(created ? { id: `pay_${next++}` } : { accepted: true }));
    }, 5),
  );
});
server.listen(Number(process.env.PORT ?? 3101), '127.0.0.1', () => console.log(`provider listening on ${server.address().port}`));
