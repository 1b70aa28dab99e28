import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ReceiverModule from './receiver.js';

// tracecheckReceiver() runs where playwright.config.ts is evaluated: once in Playwright's main process
// (start a receiver, or reuse TRACECHECK_URL) and again in every worker (reuse, never start).

const KEYS = ['TRACECHECK_URL', 'TRACECHECK_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_BSP_SCHEDULE_DELAY', 'TRACECHECK_EXPORT_DELAY', 'TEST_WORKER_INDEX', 'TEST_PARALLEL_INDEX'];
let saved: Record<string, string | undefined> = {};

async function fresh(): Promise<typeof ReceiverModule> {
  vi.resetModules();
  return import('./receiver.js');
}

describe('tracecheckReceiver', () => {
  beforeEach(() => {
    saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
    for (const k of KEYS) delete process.env[k];
  });
  afterEach(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('starts a receiver in the main process and points the environment at it, once', async () => {
    const { tracecheckReceiver } = await fresh();
    const r = await tracecheckReceiver({ grpcPort: false });
    try {
      expect(r.started).toBe(true);
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(process.env.TRACECHECK_URL).toBe(r.url);
      expect(process.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(r.url);
      expect(process.env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
      expect(process.env.TRACECHECK_EXPORT_DELAY).toBe('0');
      expect(r.env).toMatchObject({ TRACECHECK_URL: r.url, OTEL_EXPORTER_OTLP_ENDPOINT: r.url });
      expect((await fetch(`${r.url}/api/runs`)).status).toBe(200);
      // The config evaluated again in the same process: the same receiver.
      expect(await tracecheckReceiver()).toBe(r);
    } finally {
      await r.stop();
    }
  });

  it('with a token: TRACECHECK_TOKEN and the exporters’ Authorization header', async () => {
    const { tracecheckReceiver } = await fresh();
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-team=shop';
    const r = await tracecheckReceiver({ grpcPort: false, token: 's3cret' });
    try {
      expect(process.env.TRACECHECK_TOKEN).toBe('s3cret');
      expect(process.env.OTEL_EXPORTER_OTLP_HEADERS).toBe('x-team=shop,Authorization=Bearer%20s3cret');
      expect((await fetch(`${r.url}/api/runs`)).status).toBe(401);
    } finally {
      await r.stop();
    }
  });

  it('reuses TRACECHECK_URL (tracecheck run, or the main process for a worker) and starts nothing', async () => {
    const { tracecheckReceiver: start } = await fresh();
    const main = await start({ grpcPort: false });
    try {
      const { tracecheckReceiver } = await fresh();
      const again = await tracecheckReceiver();
      expect(again).toMatchObject({ url: main.url, started: false });
      // A worker does not even probe it.
      process.env.TEST_WORKER_INDEX = '0';
      const { tracecheckReceiver: inWorker } = await fresh();
      expect(await inWorker()).toMatchObject({ url: main.url, started: false });
    } finally {
      await main.stop();
    }
  });

  it('refuses to start a receiver in a worker, and a TRACECHECK_URL where nothing answers', async () => {
    process.env.TEST_WORKER_INDEX = '1';
    await expect((await fresh()).tracecheckReceiver()).rejects.toThrow(/TRACECHECK_URL is not set in this Playwright worker/);
    delete process.env.TEST_WORKER_INDEX;
    process.env.TRACECHECK_URL = 'http://127.0.0.1:9';
    await expect((await fresh()).tracecheckReceiver()).rejects.toThrow(/TRACECHECK_URL is http:\/\/127\.0\.0\.1:9, but no receiver answers there/);
  });
});
