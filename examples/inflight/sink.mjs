// A stand-in for third-party endpoints (a warehouse's webhook, a mail provider): not instrumented,
// answers every POST with 202 after a short delay, like a real provider's sandbox.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => setTimeout(() => {
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"accepted":true}');
  }, 5));
});
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
