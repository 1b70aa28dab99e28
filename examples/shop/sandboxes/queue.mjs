// The shop's message queue: a small broker of our own, its own process, in the shape of SQS or a
// RabbitMQ queue over HTTP. Messages carry headers (where the producer's trace context and baggage
// travel) and a body, can be delayed, are handed to one consumer at a time by long polling, and come
// back after the visibility timeout unless the consumer acknowledges them (at-least-once delivery).
//   POST /queues/:queue/messages   {headers, body, delay_ms?}  -> 201 {id}
//   GET  /queues/:queue/messages?wait_ms=20000                  -> 200 {id, headers, body, attempt} | 204
//   POST /queues/:queue/messages/:id/ack                        -> 204
//   GET  /queues                                                -> per queue: ready, delayed, in flight
// Not instrumented: a broker is infrastructure, not one of our services. The trace crosses it in the
// message headers.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const VISIBILITY_MS = Number(process.env.QUEUE_VISIBILITY_MS ?? 30_000);
const MAX_WAIT_MS = 20_000;
const queues = new Map(); // name -> { ready: [], delayed: number, inFlight: Map, waiters: [] }

function queueOf(name) {
  let q = queues.get(name);
  if (q === undefined) {
    q = { ready: [], delayed: 0, inFlight: new Map(), waiters: [] };
    queues.set(name, q);
  }
  return q;
}

/** Hands `message` to the longest-waiting consumer, or keeps it ready. */
function deliver(q, message) {
  while (q.waiters.length > 0) {
    const waiter = q.waiters.shift();
    if (waiter.take(message)) return;
  }
  q.ready.push(message);
}

function forget(q, waiter) {
  const i = q.waiters.indexOf(waiter);
  if (i >= 0) q.waiters.splice(i, 1);
}

function lease(q, message) {
  message.attempt += 1;
  const timer = setTimeout(() => {
    // Not acknowledged in time: the consumer died or is stuck. Deliver it again.
    q.inFlight.delete(message.id);
    deliver(q, message);
  }, VISIBILITY_MS);
  timer.unref();
  q.inFlight.set(message.id, timer);
  return { id: message.id, headers: message.headers, body: message.body, attempt: message.attempt };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://queue');
    const json = (status, value) => {
      res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/health') return json(200, { ok: true });
    let m = /^\/queues\/([\w.-]+)\/messages(?:\/([\w-]+)\/ack)?$/.exec(url.pathname);
    if (m) {
      const q = queueOf(m[1]);
      if (req.method === 'POST' && m[2] === undefined) {
        let msg;
        try {
          msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return json(400, { error: 'body is not JSON' });
        }
        const message = { id: randomUUID(), headers: msg.headers ?? {}, body: msg.body, attempt: 0 };
        const delay = Number(msg.delay_ms ?? 0);
        if (delay > 0) {
          q.delayed += 1;
          setTimeout(() => {
            q.delayed -= 1;
            deliver(q, message);
          }, delay);
        } else deliver(q, message);
        return json(201, { id: message.id });
      }
      if (req.method === 'POST' && m[2] !== undefined) {
        const timer = q.inFlight.get(m[2]);
        if (timer === undefined) return json(404, { error: 'no such message in flight (acknowledged already, or redelivered)' });
        clearTimeout(timer);
        q.inFlight.delete(m[2]);
        return json(204);
      }
      if (req.method === 'GET' && m[2] === undefined) {
        if (q.ready.length > 0) return json(200, lease(q, q.ready.shift()));
        const waitMs = Math.min(Number(url.searchParams.get('wait_ms') ?? 0), MAX_WAIT_MS);
        if (!(waitMs > 0)) return json(204);
        // Long poll: answer with the next message, or 204 when the wait is over.
        let done = false;
        const waiter = {
          take(message) {
            if (done) return false;
            done = true;
            clearTimeout(timer);
            json(200, lease(q, message));
            return true;
          },
        };
        const timer = setTimeout(() => {
          done = true;
          forget(q, waiter);
          json(204);
        }, waitMs);
        res.on('close', () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          forget(q, waiter);
        });
        q.waiters.push(waiter);
        return;
      }
    }
    if (req.method === 'GET' && url.pathname === '/queues') {
      const stats = {};
      for (const [name, q] of queues) stats[name] = { ready: q.ready.length, delayed: q.delayed, in_flight: q.inFlight.size, consumers_waiting: q.waiters.length };
      return json(200, stats);
    }
    json(404, { error: `no route ${req.method} ${url.pathname}` });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`queue ready on ${server.address().port}`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
