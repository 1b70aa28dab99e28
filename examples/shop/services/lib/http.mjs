// The little HTTP layer the shop's services share: a router over node:http (JSON and form bodies,
// JSON and HTML answers, redirects, cookies), a JSON client with a timeout, and the services' ids.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/** A response: `{ status, json }`, `{ status, html }` or `{ status: 303, location }`, plus `headers`. */
function write(res, out) {
  const headers = { ...(out.headers ?? {}) };
  if (out.location !== undefined) {
    res.writeHead(out.status ?? 303, { ...headers, location: out.location });
    return res.end();
  }
  if (out.html !== undefined) {
    res.writeHead(out.status ?? 200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    return res.end(out.html);
  }
  res.writeHead(out.status ?? 200, out.json === undefined ? headers : { ...headers, 'content-type': 'application/json' });
  res.end(out.json === undefined ? undefined : JSON.stringify(out.json));
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Serves `routes` (`[method, pattern, handler]`; the handler gets `{ body, query, params, headers,
 * cookies }` and returns a response) on PORT, with GET /health. Unknown routes answer 404; a thrown
 * HttpError its status; anything else 500 (logged).
 */
export function serve(name, routes) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://service');
      if (req.method === 'GET' && url.pathname === '/health') return write(res, { json: { ok: true, service: name } });
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = {};
      const type = req.headers['content-type'] ?? '';
      try {
        if (raw !== '') body = type.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
      } catch {
        return write(res, { status: 400, json: { error: 'the body is not JSON' } });
      }
      const cookies = Object.fromEntries((req.headers.cookie ?? '').split(';').filter((c) => c.includes('=')).map((c) => c.trim().split('=').map(decodeURIComponent)));
      for (const [method, pattern, handler] of routes) {
        const m = method === req.method ? pattern.exec(url.pathname) : null;
        if (m === null) continue;
        try {
          return write(res, await handler({ body, query: url.searchParams, params: m.slice(1), headers: req.headers, cookies }));
        } catch (err) {
          if (err instanceof HttpError) return write(res, { status: err.status, json: { error: err.message } });
          console.error(`${name}: ${req.method} ${url.pathname} failed: ${err.stack}`);
          return write(res, { status: 500, json: { error: 'internal error' } });
        }
      }
      write(res, { status: 404, json: { error: `no route ${req.method} ${url.pathname}` } });
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`${name} ready on ${server.address().port}`));
  return server;
}

/**
 * A JSON request with a timeout: `{ status, ok, body }`. Network errors and timeouts throw (a
 * TypeError or a TimeoutError), for the caller's retry policy to judge.
 */
export async function requestJson(url, { method = 'POST', headers = {}, body, timeoutMs = 5000 } = {}) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, ok: res.ok, body: parsed };
}

/** An id unique across processes: `ord_k3x9a1f2q`. */
export function newId(prefix) {
  return `${prefix}_${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').toLowerCase()}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a required environment variable (a URL of another process, mostly). */
export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; start the shop with scripts/start.mjs (or the test configs), which set it`);
  return value;
}
