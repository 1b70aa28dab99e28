/*
 * The receiver against the official OpenTelemetry JS exporters (http/protobuf, http/json, gRPC),
 * as a service would send to it: what they send must be stored whole, with attribute types kept.
 */
import * as grpc from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, type SpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { StoreFullError } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import type { Receiver } from './index.js';
import { runSpans, testReceiver } from '../test-support/fixtures.js';

type Compression = NonNullable<NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>['compression']>;
const GZIP = 'gzip' as Compression;
const NONE = 'none' as Compression;

/** Builds an exporter of one kind for a receiver, optionally compressing and sending a token. */
type MakeExporter = (r: Receiver, compression: Compression, token?: string) => SpanExporter;

const exporters: [string, MakeExporter][] = [
  [
    'http/protobuf',
    (r, compression, token) =>
      new ProtoExporter({ url: `${r.httpUrl}/v1/traces`, compression, headers: token ? { authorization: `Bearer ${token}` } : {} }),
  ],
  [
    'http/json',
    (r, compression, token) =>
      new JsonExporter({ url: `${r.httpUrl}/v1/traces`, compression, headers: token ? { authorization: `Bearer ${token}` } : {} }),
  ],
  [
    'grpc',
    (r, compression, token) => {
      const metadata = new grpc.Metadata();
      if (token) metadata.set('authorization', `Bearer ${token}`);
      return new GrpcExporter({ url: `http://${r.grpcAddress}`, compression, metadata });
    },
  ],
];

/** Three finished spans of run `runId`: a parent and two children, with typed attributes. */
function recordSpans(runId: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('exporter-test');
  const parent = tracer.startSpan('refund.requested', { attributes: { 'test.run.id': runId } });
  const inParent = trace.setSpan(context.active(), parent);
  tracer.startSpan('stripe.refund.create', { attributes: { amount: 2500, ratio: 0.5, ok: true, charge: 'ch_1' } }, inParent).end();
  tracer.startSpan('email.send', {}, inParent).end();
  parent.end();
  return memory.getFinishedSpans();
}

function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

interface JsonSpan {
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  resource: { attributes: { key: string; value: Record<string, unknown> }[] };
}

describe.each(exporters)('the official %s exporter', (_kind, makeExporter) => {
  it.each([
    ['uncompressed', NONE],
    ['gzip', GZIP],
  ])('exports %s spans that the query API returns whole', async (_c, compression) => {
    const r = await testReceiver();
    const exporter = makeExporter(r, compression);
    const spans = recordSpans('run-42');
    // Only the parent is tagged; its children join the run through their trace.
    expect(await exportSpans(exporter, spans)).toEqual({ code: 0 });
    await exporter.shutdown();
    const body = (await (await fetch(`${r.httpUrl}/api/runs/run-42/spans`)).json()) as { spans: JsonSpan[] };
    expect(body.spans.map((s) => s.name).sort()).toEqual(['email.send', 'refund.requested', 'stripe.refund.create']);
    const refund = body.spans.find((s) => s.name === 'stripe.refund.create')!;
    expect(refund.attributes).toEqual([
      { key: 'amount', value: { intValue: '2500' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'ok', value: { boolValue: true } },
      { key: 'charge', value: { stringValue: 'ch_1' } },
    ]);
    expect(refund.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'checkout' } });
  });

  it('is refused without the token and accepted with it', async () => {
    const r = await testReceiver({ token: 'tok' });
    const spans = recordSpans('run-7');
    const anonymous = makeExporter(r, NONE);
    const refused = await exportSpans(anonymous, spans);
    await anonymous.shutdown();
    expect(refused.code).toBe(1);
    expect(r.store.spanCount).toBe(0);
    const authorized = makeExporter(r, NONE, 'tok');
    expect(await exportSpans(authorized, spans)).toEqual({ code: 0 });
    await authorized.shutdown();
    expect(r.store.spanCount).toBe(3);
  });
});

describe.each(exporters.slice(0, 2))('the official %s exporter and maxBodyBytes', (_kind, makeExporter) => {
  it('fails cleanly on 413 uncompressed, and fits when gzipped', async () => {
    // Repetitive spans compress well: the limit sits between the gzipped and the plain size.
    const r = await testReceiver({ limits: { maxBodyBytes: 800 } });
    const spans = [...recordSpans('run-9'), ...recordSpans('run-9'), ...recordSpans('run-9')];
    const plain = makeExporter(r, NONE);
    const refused = await exportSpans(plain, spans);
    await plain.shutdown();
    expect(refused.code).toBe(1);
    expect(String(refused.error)).toMatch(/Payload Too Large/);
    expect(r.store.spanCount).toBe(0);
    const zipped = makeExporter(r, GZIP);
    expect(await exportSpans(zipped, spans)).toEqual({ code: 0 });
    await zipped.shutdown();
    expect(r.store.spanCount).toBe(9);
  });
});

describe('the official http/protobuf exporter and a full store', () => {
  it('keeps its batch through 8 s of a full store, retrying after the default Retry-After', async () => {
    // The JS exporters wait exactly Retry-After between their 5 retries: at the default 3 s a batch
    // outlasts 15 s of a full store; at 1 s it was given up after 5 s.
    const r = await testReceiver({ limits: { maxMemoryBytes: 20_000 } });
    try {
      for (;;) r.store.add(runSpans('filler', 1));
    } catch (err) {
      expect(err).toBeInstanceOf(StoreFullError);
    }
    const exporter = new ProtoExporter({ url: `${r.httpUrl}/v1/traces`, timeoutMillis: 30_000 });
    const exported = exportSpans(exporter, recordSpans('run-full'));
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(r.store.run('run-full')).toBeUndefined();
    expect((await fetch(`${r.httpUrl}/api/runs/filler`, { method: 'DELETE' })).status).toBe(204);
    expect(await exported).toEqual({ code: 0 });
    await exporter.shutdown();
    expect(r.store.run('run-full')?.spans).toBe(3);
  }, 30_000);
});
