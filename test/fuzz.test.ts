import { beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../scripts/fuzz/campaign.mjs';
import { buildWorkspace } from './support/build.js';

// A short fuzzing campaign in the suite (the long ones: node scripts/fuzz.mjs --inputs 100000 --seed N):
// hostile OTLP protobuf and JSON, gRPC frames, assertions and odd requests against a real
// `tracecheck receive`. The seed is fixed so the suite gives the same answer every run; long
// campaigns explore other seeds, each failure replayable from the seed and index it prints.

const seed = 20_261_129;

describe('fuzzing tracecheck receive', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it(`answers every input without a 5xx, dying, a stalled /healthz or memory past its bound (seed ${seed})`, async () => {
    // /healthz within 5 s here, not the campaign's 1 s: the suite runs test files side by side on
    // two shared cores, and CPU the receiver does not get is not a stall of its own.
    const result = await runCampaign({ seed, inputs: 400, concurrency: 4, maxSeconds: 20, healthMs: 5000 });
    const replay = result.violations.map((v) => `${v.what}${v.index === undefined ? '' : ` (replay: node scripts/fuzz.mjs --seed ${v.seed} --only ${v.index} --verbose)`}`);
    expect(replay).toEqual([]);
    expect(result.tried).toBeGreaterThan(50);
    // Every decoder path was reached: accepted, refused as malformed, and checks decided or refused.
    const kinds = Object.keys(result.codes).join(' ');
    expect(kinds).toMatch(/otlp-protobuf 200/);
    expect(kinds).toMatch(/otlp-json 400/);
    expect(kinds).toMatch(/assertion 400/);
  }, 60_000);
});
