import { defaultLimits } from '@tracecheck/receiver';
import { beforeAll, describe, expect, it } from 'vitest';
import { rssBound } from '../scripts/fuzz/campaign.mjs';
import { runLoad } from './load/load.mjs';
import { buildWorkspace } from './support/build.js';

// A short load test with the official OpenTelemetry exporters (the long one: node scripts/load.mjs):
// several processes export concurrently over every protocol; each span arrives exactly once, also
// when a small memory cap makes the receiver refuse exports until finished runs are deleted
// (HTTP: 429 retried after Retry-After; gRPC: the export waits for room).

describe('load with the official exporters', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it.each([
    ['without a memory cap in the way', undefined, defaultLimits.maxMemoryBytes],
    ['at a memory cap that holds about two runs', '2560KiB', 2560 * 1024],
  ])('loses and duplicates nothing %s, within the stated RSS bound', async (_, maxMemory, capBytes) => {
    const r = await runLoad({ processes: 3, runs: 4, spans: 1000, protocols: ['http/protobuf', 'http/json', 'grpc'], maxMemory, timeoutMs: 40_000 });
    expect(r.problems).toEqual([]);
    expect(r.received).toBe(12_000);
    expect(r.lost).toBe(0);
    if (maxMemory !== undefined) expect(r.refusedFull).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeLessThanOrEqual(rssBound(capBytes, defaultLimits.maxInFlightBytes));
  }, 60_000);
});
