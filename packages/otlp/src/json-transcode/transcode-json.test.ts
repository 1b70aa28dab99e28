import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyValue, Attributes, Span } from '@tracecheck/model';
import {
  OtlpBudgetError,
  decodeJsonRequest,
  decodeJsonRequestSliced,
  decodeProtobufRequest,
  transcodeJsonRequest,
  transcodeJsonRequestSliced,
} from '../index.js';
import type { DecodeLimits, DecodeOptions, DecodeResult, TranscodeResult } from '../index.js';
import { bodyArbitrary, limitsArbitrary, validBody } from '../testing/otlp-json-arbitrary.js';

/*
 * Differential tests: decodeJsonRequest is the oracle. For every body, the transcoder throws exactly
 * when the decoder does (same message), or reports the same rejections and limits and gives bytes
 * that decode to the decoder's spans. Seeded: TRACECHECK_FUZZ_SEED replays a run,
 * TRACECHECK_FUZZ_RUNS runs more (fast-check prints the seed and path of a failure).
 */

const RUNS = Number(process.env['TRACECHECK_FUZZ_RUNS'] ?? 400);
const SEED = Number(process.env['TRACECHECK_FUZZ_SEED'] ?? 20_240_611);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/*
 * What protobuf cannot carry, as the transcoder writes it: strings are UTF-8 (a lone surrogate, which
 * JSON escapes can spell, becomes U+FFFD; the decoder keeps it unless it cut the string), and a
 * dropped*Count is a uint32 (sender's count plus what the limits dropped saturates).
 */
const text = (s: string): string => Buffer.from(s).toString('utf8');
const count = (n: number): number => Math.min(n, 0xffff_ffff);
function value(v: AnyValue): AnyValue {
  if (v.type === 'string') return { type: 'string', value: text(v.value) };
  if (v.type === 'array') return { type: 'array', value: v.value.map(value) };
  if (v.type === 'kvlist') return { type: 'kvlist', value: attributes(v.value) };
  return v;
}
function attributes(a: Attributes): Attributes {
  const out = new Map<string, AnyValue>();
  for (const [k, v] of a) out.set(text(k), value(v));
  return out;
}
const owner = <T extends { attributes: Attributes; droppedAttributesCount: number }>(o: T): T => ({
  ...o,
  attributes: attributes(o.attributes),
  droppedAttributesCount: count(o.droppedAttributesCount),
});
function asUtf8(s: Span): Span {
  return {
    ...owner(s),
    traceState: text(s.traceState),
    name: text(s.name),
    events: s.events.map((e) => ({ ...owner(e), name: text(e.name) })),
    droppedEventsCount: count(s.droppedEventsCount),
    links: s.links.map((l) => ({ ...owner(l), traceState: text(l.traceState) })),
    droppedLinksCount: count(s.droppedLinksCount),
    status: { ...s.status, message: text(s.status.message) },
    resource: { ...owner(s.resource), schemaUrl: text(s.resource.schemaUrl) },
    scope: { ...owner(s.scope), name: text(s.scope.name), version: text(s.scope.version), schemaUrl: text(s.scope.schemaUrl) },
  };
}

type Outcome<T> = { ok: T } | { error: Error };
async function outcome<T>(run: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: error as Error };
  }
}

/** The transcoder's outcome is the decoder's. */
function expectSame(want: Outcome<DecodeResult>, got: Outcome<TranscodeResult>, limits: Partial<DecodeLimits> | undefined): void {
  if ('error' in want) {
    expect('error' in got ? [got.error.constructor, got.error.message] : got.ok).toEqual([want.error.constructor, want.error.message]);
    return;
  }
  if ('error' in got) throw got.error;
  const { rejectedSpans, errorMessage, limited } = got.ok;
  expect({ rejectedSpans, errorMessage, limited }).toEqual({ rejectedSpans: want.ok.rejectedSpans, errorMessage: want.ok.errorMessage, limited: want.ok.limited });
  // Decoded within the same limits, the bytes need no more cutting: the limits were applied.
  const decoded = decodeProtobufRequest(got.ok.bytes, { limits });
  expect(decoded.errorMessage).toBe('');
  expect(decoded.spans).toEqual(want.ok.spans.map(asUtf8));
}

describe('transcodeJsonRequest, against decodeJsonRequest', () => {
  it('valid requests: the same spans, and the same charge to the budget', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const taken = [0, 0];
        const budget = (i: number) => ({ take: (n: number) => ((taken[i]! += n), true) });
        const want = decodeJsonRequest(body, { budget: budget(0) });
        const got = transcodeJsonRequest(body, { budget: budget(1) });
        expect(decodeProtobufRequest(got.bytes).spans).toEqual(want.spans);
        expect(taken[1]).toBe(taken[0]);
      }),
      params(Math.ceil(RUNS / 4)),
    );
  });

  it('mutated requests, within small limits or the defaults', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, limitsArbitrary, async (body, limits) => {
        const options: DecodeOptions = limits === undefined ? {} : { limits };
        expectSame(await outcome(() => decodeJsonRequest(body, options)), await outcome(() => transcodeJsonRequest(body, options)), limits);
      }),
      params(RUNS),
    );
  });

  it('sliced, parsing incrementally: as decodeJsonRequestSliced', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, limitsArbitrary, async (body, limits) => {
        const options: DecodeOptions = limits === undefined ? {} : { limits };
        const incremental = { ...options, wholeParseMaxBytes: 0 };
        expectSame(await outcome(() => decodeJsonRequestSliced(body, options)), await outcome(() => transcodeJsonRequestSliced(body, incremental)), limits);
      }),
      params(Math.ceil(RUNS / 4)),
    );
  });

  it('sliced, on both sides of the whole-parse threshold: the same answer', async () => {
    const summary = (o: Outcome<TranscodeResult>) => ('error' in o ? [o.error.constructor, o.error.message] : o.ok);
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, limitsArbitrary, async (body, limits) => {
        const options: DecodeOptions = limits === undefined ? {} : { limits };
        const incremental = await outcome(() => transcodeJsonRequestSliced(body, { ...options, wholeParseMaxBytes: 0 }));
        const whole = await outcome(() => transcodeJsonRequestSliced(body, { ...options, wholeParseMaxBytes: Infinity }));
        if ('error' in incremental && 'ok' in whole) {
          // Nesting past the incremental parser's cap, where the decoder does not read (an unknown
          // field, an element over a limit), is the one thing JSON.parse lets through, as decodeJsonRequest does.
          expect(incremental.error.message).toMatch(/^invalid JSON: nested deeper than \d+ levels/);
          expectSame(await outcome(() => decodeJsonRequest(body, options)), whole, limits);
        } else expect(summary(whole)).toEqual(summary(incremental));
      }),
      params(Math.ceil(RUNS / 4)),
    );
  });

  it('refuses a request over the budget, like the decoder', () => {
    const body = fc.sample(validBody, { seed: SEED, numRuns: 1 })[0]!;
    const budget = { take: () => false };
    expect(() => decodeJsonRequest(body, { budget })).toThrow(OtlpBudgetError);
    expect(() => transcodeJsonRequest(body, { budget })).toThrow(OtlpBudgetError);
  });
});
