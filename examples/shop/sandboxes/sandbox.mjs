// What every stand-in for a third party's sandbox shares: an HTTP server on PORT that parses JSON and
// form bodies, answers GET /health, keeps the requests it received (GET /_sandbox/requests, newest
// last, for a person looking into a run), and answers after a few milliseconds, as a remote API
// would. The stand-ins are not instrumented: like the real providers, they are outside our traces.
import { createServer } from 'node:http';

const latencyMs = Number(process.env.SANDBOX_LATENCY_MS ?? 5);
const KEEP = 500;

/**
 * Starts a sandbox. `routes` are `[method, pattern, handler]`; a handler gets `{ body, headers, params,
 * query }` (params: the pattern's groups) and returns `{ status, body }` (or a promise of it).
 */
export function sandbox(name, routes) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const raw = Buffer.concat(chunks).toString('utf8');
      const reply = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (req.method === 'GET' && url.pathname === '/health') return reply(200, { ok: true, sandbox: name });
      if (req.method === 'GET' && url.pathname === '/_sandbox/requests') return reply(200, received);
      let body = {};
      try {
        body = raw === '' ? {} : (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
      } catch {
        return reply(400, { error: { type: 'invalid_request_error', message: 'body is not JSON' } });
      }
      received.push({ at: new Date().toISOString(), method: req.method, path: url.pathname, body });
      if (received.length > KEEP) received.shift();
      for (const [method, pattern, handler] of routes) {
        const m = method === req.method ? pattern.exec(url.pathname) : null;
        if (m === null) continue;
        try {
          const out = await handler({ body, raw, headers: req.headers, params: m.slice(1), query: url.searchParams });
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          return reply(out.status, out.body);
        } catch (err) {
          console.error(`${name}: ${err.stack}`);
          return reply(500, { error: { type: 'api_error', message: 'internal error' } });
        }
      }
      reply(404, { error: { type: 'invalid_request_error', message: `no route ${req.method} ${url.pathname}` } });
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`${name} sandbox ready on ${server.address().port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

/** An id in the style of the provider's: `ch_3f9a1c…`. */
export function id(prefix) {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36).slice(-4)}`;
}

/** Checks `Authorization: Bearer <key>`; a reply to send back when it is wrong, else undefined. */
export function unauthorized(headers, key) {
  if (headers.authorization === `Bearer ${key}`) return undefined;
  return { status: 401, body: { error: { type: 'authentication_error', message: 'Invalid API key provided' } } };
}
