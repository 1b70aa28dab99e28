// A third party on another origin: an analytics pixel the checkout page calls (an image on load, a
// JSON beacon with a CORS preflight on submit). Not ours: it must never see the run's baggage or trace
// context. It records every request's headers, to PIXEL_LOG (JSON lines) when set, and answers
// GET /requests with those it has seen.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const seen = [];

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const cors = { 'access-control-allow-origin': '*' };
    if (req.url === '/requests') {
      res.writeHead(200, { 'content-type': 'application/json', ...cors });
      return res.end(JSON.stringify(seen));
    }
    if (req.url === '/health') {
      res.writeHead(200, cors);
      return res.end('ok');
    }
    const record = { method: req.method, url: req.url, headers: req.headers };
    seen.push(record);
    if (process.env.PIXEL_LOG) appendFileSync(process.env.PIXEL_LOG, `${JSON.stringify(record)}\n`);
    if (req.method === 'OPTIONS') {
      // Allows what a plain analytics script sends, nothing more: a request carrying extra headers
      // (baggage, traceparent) would fail this preflight in the browser.
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' });
      return res.end();
    }
    if (req.url.startsWith('/pixel.gif')) {
      res.writeHead(200, { 'content-type': 'image/gif', ...cors });
      return res.end(GIF);
    }
    res.writeHead(204, cors);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${server.address().port}`));
