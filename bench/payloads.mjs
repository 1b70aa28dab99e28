// Realistic payloads shared by the benches (ingest, json-transcode), so their figures are comparable.
import { createResource, createSpan } from '@tracecheck/model';

/** The names of a realistic run's child spans (the root is `POST /refunds`), the n-th span's being NAMES[n % 4]. */
export const NAMES = ['stripe.refund.create', 'email.send', 'db.query', 'warehouse.webhook'];

/** The attributes of the n-th span of a realistic run: 9 of mixed types, with a JSON payload. */
export function spanAttributes(n) {
  return {
    'http.request.method': 'POST',
    'url.full': `https://api.example.com/v1/refunds/${n}`,
    'http.response.status_code': 200,
    amount: 2500,
    currency: 'EUR',
    'effect.payload': JSON.stringify({ charge: `ch_${n}`, amount: 2500, reason: 'requested_by_customer' }),
    retry: false,
    ratio: 0.25,
    tags: ['refund', 'eu'],
  };
}

/** `requestCount` requests of realistic spans: 10-span traces, 10 attributes of mixed types, an event on every third span. */
export function makeRequests(requestCount, spansPerRequest) {
  const resource = createResource({ 'service.name': 'payments', 'service.version': '1.4.2', 'deployment.environment': 'ci', 'host.name': 'runner-7' });
  const requests = [];
  let n = 0;
  for (let r = 0; r < requestCount; r++) {
    const spans = [];
    for (let i = 0; i < spansPerRequest; i++, n++) {
      const trace = Math.floor(n / 10);
      const root = n % 10 === 0;
      const start = 1_700_000_000_000_000_000n + BigInt(n) * 1_000_000n;
      spans.push(
        createSpan({
          traceId: trace.toString(16).padStart(32, '0'),
          spanId: (n + 1).toString(16).padStart(16, '0'),
          parentSpanId: root ? '' : (trace * 10 + 1).toString(16).padStart(16, '0'),
          name: root ? 'POST /refunds' : NAMES[n % 4],
          kind: root ? 2 : 3,
          startTimeUnixNano: start,
          endTimeUnixNano: start + 4_000_000n,
          attributes: { ...(root ? { 'test.run.id': `run-${trace % 50}` } : {}), ...spanAttributes(n) },
          events: n % 3 === 0 ? [{ name: 'retry', timeUnixNano: start + 1_000_000n, attributes: { attempt: 2 } }] : [],
          status: { code: n % 17 === 0 ? 2 : 0 },
          resource,
        }),
      );
    }
    requests.push(spans);
  }
  return requests;
}
