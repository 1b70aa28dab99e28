import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ColumnarStore } from '@tracecheck/store';
import { describe, expect, it } from 'vitest';
import { grpcClient, runSpans, testReceiver } from '../test-support/fixtures.js';
import { ReceiverOptionsError, ReceiverStartError, defaultLimits, startReceiver } from './index.js';

const hasIPv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));

/** Resolves once `port` on `host` can be listened on again. */
async function canListen(host: string, port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen({ host, port }, () => probe.close(() => resolve(true)));
  });
}

describe('startReceiver', () => {
  it('listens on free ports and reports connectable addresses', async () => {
    const r = await testReceiver();
    expect(r.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`${r.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const call = await grpcClient(r.grpcAddress!)(new Uint8Array(0));
    expect(call).toMatchObject({ ok: true });
  });

  it.runIf(hasIPv6Loopback)('brackets an IPv6 host in its URL and gRPC address', async () => {
    const r = await testReceiver({ host: '::1' });
    expect(r.httpUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(r.grpcAddress).toMatch(/^\[::1\]:\d+$/);
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200);
    expect((await grpcClient(r.grpcAddress!)(new Uint8Array(0))).ok).toBe(true);
  });

  it('runs without gRPC when grpcPort is false', async () => {
    const r = await testReceiver({ grpcPort: false });
    expect(r.grpcAddress).toBeUndefined();
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200);
  });

  it('uses the store it is given', async () => {
    const store = new ColumnarStore();
    store.add(runSpans('given'));
    const r = await testReceiver({ store });
    expect(r.store).toBe(store);
    const runs = (await (await fetch(`${r.httpUrl}/api/runs`)).json()) as { id: string }[];
    expect(runs.map((x) => x.id)).toEqual(['given']);
  });

  it('sizes its own store from the limits', async () => {
    const r = await testReceiver({ limits: { maxMemoryBytes: 12345, retentionMs: 999 } });
    expect(r.store.maxBytes).toBe(12345);
    expect(r.store.retentionMs).toBe(999);
    expect(r.limits).toEqual({ ...defaultLimits, maxMemoryBytes: 12345, retentionMs: 999 });
  });

  it('refuses options that cannot work', async () => {
    await expect(startReceiver({ httpPort: -1 })).rejects.toBeInstanceOf(ReceiverOptionsError);
    await expect(startReceiver({ httpPort: 0, grpcPort: 70000 })).rejects.toMatchObject({ code: 'RECEIVER_OPTIONS', option: 'grpcPort' });
    await expect(startReceiver({ httpPort: 0, grpcPort: 0, token: '' })).rejects.toMatchObject({ option: 'token' });
    await expect(startReceiver({ httpPort: 0, grpcPort: 0, limits: { maxBodyBytes: 0 } })).rejects.toMatchObject({
      option: 'limits.maxBodyBytes',
    });
  });

  it('reports a port in use and releases the port it did bind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      await expect(startReceiver({ httpPort: busy, grpcPort: 0 })).rejects.toMatchObject({ code: 'RECEIVER_START', server: 'http' });
      const first = await testReceiver({ grpcPort: false });
      const httpPort = Number(new URL(first.httpUrl).port);
      await first.stop();
      const err: unknown = await startReceiver({ httpPort, grpcPort: busy }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReceiverStartError);
      expect(err).toMatchObject({ server: 'grpc' });
      expect(await canListen('127.0.0.1', httpPort)).toBe(true);
    } finally {
      blocker.close();
    }
  });
});

describe('Receiver.stop', () => {
  it('is idempotent and frees both ports', async () => {
    const r = await testReceiver();
    const httpPort = Number(new URL(r.httpUrl).port);
    const grpcPort = Number(r.grpcAddress!.split(':')[1]);
    await Promise.all([r.stop(), r.stop()]);
    await r.stop();
    expect(await canListen('127.0.0.1', httpPort)).toBe(true);
    expect(await canListen('127.0.0.1', grpcPort)).toBe(true);
    await expect(fetch(`${r.httpUrl}/healthz`)).rejects.toThrow();
  });

  it('closes idle keep-alive connections', async () => {
    const r = await testReceiver();
    const agent = new Agent({ keepAlive: true });
    // The socket stays open in the agent's pool after the response; only stop() may close it.
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request(`${r.httpUrl}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket!));
      });
      req.on('error', reject);
      req.end();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(socket.destroyed).toBe(false);
    await r.stop();
    await closed;
    agent.destroy();
  });

  it('stops the retention sweep it ran', async () => {
    let now = 1_000_000;
    const store = new ColumnarStore({ retentionMs: 1000, now: () => now });
    const r = await testReceiver({ store, limits: { sweepIntervalMs: 5 } });
    store.add(runSpans('old'));
    now += 5000;
    await expect.poll(() => store.runs().length, { timeout: 5000 }).toBe(0);
    await r.stop();
    store.add(runSpans('after-stop'));
    now += 5000;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.runs().map((x) => x.id)).toEqual(['after-stop']);
  });
});
