import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '@tracecheck/receiver';

// The OTLP specification's example request (opentelemetry-proto examples/), as JSON and protobuf,
// plain and gzipped, posted to a running receiver. Its ids are upper-case hex, and its parent span
// never arrives.

const vector = (name: string) => readFileSync(new URL(`./fixtures/vectors/${name}`, import.meta.url));
const cases = [
  ['trace.json', 'application/json', undefined],
  ['trace.json.gz', 'application/json', 'gzip'],
  ['trace.pb', 'application/x-protobuf', undefined],
  ['trace.pb.gz', 'application/x-protobuf', 'gzip'],
] as const;

describe('the OTLP spec example request', () => {
  let receiver: Receiver;
  // A fresh receiver for each encoding, so each one is proven on its own.
  beforeEach(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: false });
  });
  afterEach(() => receiver.stop());

  it.each(cases)('is accepted as %s', async (file, contentType, encoding) => {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (encoding) headers['content-encoding'] = encoding;
    const res = await fetch(`${receiver.httpUrl}/v1/traces`, { method: 'POST', headers, body: vector(file) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(contentType);
    const [span] = receiver.store.traceSpans('5b8efff798038103d269b633813fc60c');
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 2,
      startTimeUnixNano: 1544712660000000000n,
      endTimeUnixNano: 1544712661000000000n,
    });
    expect(span!.attributes.get('my.span.attr')).toEqual({ type: 'string', value: 'some value' });
    expect(span!.resource.attributes.get('service.name')).toEqual({ type: 'string', value: 'my.service' });
    expect(span!.scope).toMatchObject({ name: 'my.library', version: '1.0.0' });
    expect(receiver.store.spanCount).toBe(1);
    // Sent again, the same span is stored once (an exporter's retry must not double-count).
    await fetch(`${receiver.httpUrl}/v1/traces`, { method: 'POST', headers, body: vector(file) });
    expect(receiver.store.spanCount).toBe(1);
  });
});
