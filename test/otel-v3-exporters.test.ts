import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { plainSpan, type Span } from '@tracecheck/model';
import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node24, v3Dir } from './support/otel-v3.js';
import { waitForSpans } from './support/receiver-api.js';
import { expectRichTrace } from './support/rich-trace.js';

// exporters.test.ts for the OpenTelemetry JS 3.x line: the official 3.x OTLP exporters, run by Node
// 24 in examples/otel-v3 (send-rich-trace.mjs), over real sockets into a receiver started here.

type Protocol = 'http/protobuf' | 'http/json' | 'grpc';
const protocols: Protocol[] = ['http/protobuf', 'http/json', 'grpc'];

const urlFor = (protocol: Protocol, receiver: Receiver) => (protocol === 'grpc' ? `http://${receiver.grpcAddress}` : `${receiver.httpUrl}/v1/traces`);

/** Runs send-rich-trace.mjs with Node 24; resolves with the ids it printed. */
async function sendRichTrace(runId: string, targets: Array<{ protocol: Protocol; url: string }>, link?: { traceId: string; spanId: string }) {
  const env = { ...process.env, TARGETS: JSON.stringify(targets), RUN_ID: runId, ...(link ? { LINK: JSON.stringify(link) } : {}) };
  const { stdout } = await promisify(execFile)(node24(), [join(v3Dir, 'send-rich-trace.mjs')], { cwd: v3Dir, env, timeout: 20_000 });
  return JSON.parse(stdout) as { traceId: string; spanId: string; rootSpanId: string; versions: Record<string, string> };
}

describe.each(protocols)('the official OpenTelemetry JS 3.x %s exporter on Node 24', (protocol) => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  });
  afterAll(() => receiver.stop());

  it('lands every span with attribute types, events, links, status and resource intact', async () => {
    const linkTarget = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) };
    const runId = `v3-run-${protocol}`;
    const ids = await sendRichTrace(runId, [{ protocol, url: urlFor(protocol, receiver) }], linkTarget);

    // What sent them: Node 24 and the 3.x line.
    expect(ids.versions).toEqual({
      node: expect.stringMatching(/^24\./),
      '@opentelemetry/api': '1.10.0',
      '@opentelemetry/sdk-trace': expect.stringMatching(/^3\./),
      '@opentelemetry/exporter-trace-otlp-proto': expect.stringMatching(/^0\.3\d\d\./),
      '@opentelemetry/exporter-trace-otlp-http': expect.stringMatching(/^0\.3\d\d\./),
      '@opentelemetry/exporter-trace-otlp-grpc': expect.stringMatching(/^0\.3\d\d\./),
    });

    const spans = await waitForSpans(receiver.httpUrl, runId, 2);
    expectRichTrace(spans, ids, linkTarget);
  });
});

describe('one 3.x span sent three ways', () => {
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) receivers.push(await startReceiver({ httpPort: 0, grpcPort: 0 }));
  });
  afterAll(() => Promise.all(receivers.map((r) => r.stop())));

  it('decodes to the same model span from protobuf, JSON and gRPC', async () => {
    await sendRichTrace('v3-same-span', protocols.map((protocol, i) => ({ protocol, url: urlFor(protocol, receivers[i]!) })), { traceId: 'ef'.repeat(16), spanId: '12'.repeat(8) });
    await Promise.all(receivers.map((r) => waitForSpans(r.httpUrl, 'v3-same-span', 2)));

    const byProtocol = receivers.map((r) =>
      r.store
        .runSpans('v3-same-span')
        .slice()
        .map(plainSpan)
        .sort((a: Span, b: Span) => a.name.localeCompare(b.name)),
    );
    expect(byProtocol[0]).toHaveLength(2);
    expect(byProtocol[1]).toEqual(byProtocol[0]);
    expect(byProtocol[2]).toEqual(byProtocol[0]);
  });
});
