import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnyValue, type Attributes, createSpan, type Span } from '@tracecheck/model';
import {
  OtlpBudgetError,
  OtlpDecodeError,
  decodeJsonRequest,
  decodeJsonRequestSliced,
  decodeProtobufRequest,
  transcodeJsonRequest,
  transcodeJsonRequestSliced,
} from '../index.js';
import type { DecodeBudget, DecodeLimits, DecodeOptions, DecodeResult, TranscodeResult } from '../index.js';
import { BudgetMeter } from '../limits.js';
import { parseJsonBody } from '../json-body.js';
import { bodyArbitrary, limitsArbitrary, validBody } from '../testing/otlp-json-arbitrary.js';
import { jsonRequest } from '../encode-json-request.js';
import { randomSpans, rng } from '../testing/random-spans.js';
import { FAST_PATH_BAIL } from './byte-scanner.js';
import { FastJsonTranscoder } from './fast-transcoder.js';
import { JsonTranscoder } from './json-to-proto.js';

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
 * JSON escapes can spell, becomes U+FFFD; the decoder keeps it unless it cut the string), a
 * dropped*Count is a uint32 (sender's count plus what the limits dropped saturates), and an enum is
 * a varint (`"kind": -0`, which the decoder keeps as -0, arrives as 0).
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
    kind: (s.kind + 0) as Span['kind'],
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

/*
 * The byte-level transcoder reads the text itself, so its requests are also rendered by hand: every
 * spacing, key order, escape (surrogate pairs and lone surrogates included) and number form JSON
 * allows, keys written twice (JSON.parse keeps the last), unknown keys with nested values; then, for
 * some, the bytes damaged: cut, a byte replaced (invalid UTF-8 among them), a BOM, trailing text.
 */

/** Escapes of lone surrogates (and of pairs in the wrong order), which a UTF-8 encoding writes as U+FFFD. */
const LONE_SURROGATES = ['\\ud800', '\\uDFFF', '\\udbff\\u0041', '\\udc00\\ud800', '\\uD83C'];

/** Keys one character off a known one. */
const NEAR_MISSES: readonly ((k: string) => string)[] = [
  (k) => k.charAt(0).toUpperCase() + k.slice(1),
  (k) => k.slice(0, -1) + k.charAt(k.length - 1).toUpperCase(),
  (k) => k.slice(0, -1),
  (k) => `${k}x`,
  (k) => `${k.slice(0, 1)}_${k.slice(2)}`,
];

const JUNK = ['null', '1', '-2.5e3', '"x"', '{}', '[]', '{"a":[1,"b",{"c":null}],"d":true}', '"\\u00e9"'];

/** How `render` may write a request: odds of each choice, keys written twice and lone surrogates, numbers in other forms. */
interface Style {
  readonly p: number;
  readonly dupes: boolean;
  readonly numbers: boolean;
}

/** `v` as JSON text, each choice made by `r`. */
function render(v: unknown, r: () => number, style: Style): string {
  const { p, dupes } = style;
  const ws = (): string => (r() < p ? [' ', '\t', '\n', '\r\n  '][Math.floor(r() * 4)]! : '');
  if (typeof v === 'string') {
    let out = '"';
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      const h = c.toString(16).padStart(4, '0');
      if (r() < p) out += c === 0x2f && r() < 0.5 ? '\\/' : `\\u${r() < 0.5 ? h : h.toUpperCase()}`;
      else out += JSON.stringify(v[i]).slice(1, -1);
      // Not in a valid request: in an id, a time or base64 a lone surrogate makes it invalid.
      if (style.dupes && r() < p / 4) out += LONE_SURROGATES[Math.floor(r() * LONE_SURROGATES.length)]!;
    }
    return `${out}"`;
  }
  if (typeof v === 'number' && style.numbers && Number.isSafeInteger(v) && r() < p) {
    return [`${v}.0`, `${v}e0`, `${v}E+0`, `${v * 10}e-1`, `${v}.000`][Math.floor(r() * 5)]!;
  }
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${ws()}${render(x, r, style)}${ws()}`).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    if (r() < p) entries.sort(() => r() - 0.5);
    const members: string[] = [];
    for (const [name, x] of entries) {
      if (x === undefined) continue;
      // Sometimes a near miss of the key: an unknown key to JSON.parse, which must not read as the known one.
      const k = r() < p / 4 ? NEAR_MISSES[Math.floor(r() * NEAR_MISSES.length)]!(name) : name;
      if (dupes && r() < p / 2) members.push(`${render(k, r, style)}:${JUNK[Math.floor(r() * JUNK.length)]!}`);
      if (r() < p / 4) members.push(`"unknown_${members.length}":${ws()}${JUNK[Math.floor(r() * JUNK.length)]!}`);
      members.push(`${ws()}${render(k, r, style)}${ws()}:${ws()}${render(x, r, style)}${ws()}`);
    }
    return `{${members.join(',')}${ws()}}`;
  }
  return JSON.stringify(v);
}

/** Hand-rendered requests from randomSpans; `damage` also writes keys twice, numbers in other forms, and breaks some. */
const renderedBody = (damage: boolean): fc.Arbitrary<string | Uint8Array> =>
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(0, 0.02, 0.05, 0.1, 0.2, 0.3), fc.nat(9), fc.nat()).map(([seed, choices, p, form, at]) => {
    const text = render(jsonRequest(randomSpans(seed)), rng(choices), { p, dupes: damage, numbers: damage });
    if (!damage || form > 4) return Buffer.from(text);
    const bytes = Buffer.from(text);
    const i = at % bytes.length;
    if (form === 0) return bytes.subarray(0, i);
    if (form === 1) return Buffer.concat([bytes.subarray(0, i), Buffer.from([[0xff, 0x80, 0xc0, 0xed, 0xf4][at % 5]!, 0xa0, 0x80]), bytes.subarray(i)]);
    if (form === 2) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    if (form === 3) return `${text} ${JUNK[at % JUNK.length]!}`;
    bytes[i] = at % 256;
    return bytes;
  });

/** A budget that takes everything, counting it. */
function counting(): DecodeBudget & { total: number } {
  const budget = { total: 0, take: (n: number) => ((budget.total += n), true) };
  return budget;
}

/** The byte-level transcoder alone: its result, or 'gave up'. */
function byBytes(body: string | Uint8Array, options: DecodeOptions, budget: DecodeBudget = counting()): TranscodeResult | 'gave up' {
  const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // As transcodeJsonRequest: the bytes must be UTF-8 (the scanner relies on it), a string must have no lone surrogate.
  if (typeof body === 'string' ? buf.toString() !== body : !isUtf8(buf)) return 'gave up';
  const t = new FastJsonTranscoder(buf, options, new BudgetMeter(budget), 64);
  try {
    const steps = t.request();
    while (!steps.next().done);
    return t.result();
  } catch (e) {
    if (e === FAST_PATH_BAIL || e instanceof OtlpDecodeError) return 'gave up';
    throw e;
  }
}

/** JsonTranscoder (after JSON.parse) alone, as the byte-level transcoder must match it. */
function byObjects(body: string | Uint8Array, options: DecodeOptions, budget: DecodeBudget = counting()): TranscodeResult {
  const t = new JsonTranscoder(options, new BudgetMeter(budget), 64);
  const steps = t.request(parseJsonBody(body));
  while (!steps.next().done);
  return t.result();
}

/** Three decodes a run: more time than the default when TRACECHECK_FUZZ_RUNS asks for thousands. */
const SLOW_TIMEOUT = Math.max(30_000, RUNS * 15);

const hex = (r: TranscodeResult) => ({ ...r, bytes: Buffer.from(r.bytes).toString('hex') });

describe('the byte-level transcoder, against JsonTranscoder', () => {
  const anyBody = fc.oneof(bodyArbitrary, renderedBody(true), renderedBody(false));

  it('gives the same bytes, rejections, limits and budget charge, or gives up; never takes what JSON.parse or the walk refuses', () => {
    let taken = 0;
    fc.assert(
      fc.property(anyBody, limitsArbitrary, (body, limits) => {
        const options: DecodeOptions = limits === undefined ? {} : { limits };
        const [bytesBudget, objectsBudget] = [counting(), counting()];
        const got = byBytes(body, options, bytesBudget);
        if (got === 'gave up') return;
        taken++;
        // Taken here: JSON.parse and the walk must take it too (they throw otherwise), to the same result.
        expect(hex(got)).toEqual(hex(byObjects(body, options, objectsBudget)));
        expect(bytesBudget.total).toBe(objectsBudget.total);
      }),
      params(RUNS),
    );
    // The comparison means something only if the byte-level transcoder takes many of them.
    expect(taken).toBeGreaterThan(RUNS / 4);
  });

  it('takes every valid request, whatever its spacing, key order, escapes and unknown keys, to the same bytes', () => {
    fc.assert(
      fc.property(renderedBody(false), fc.boolean(), (body, asText) => {
        const text = Buffer.from(body as Uint8Array).toString();
        const got = byBytes(asText ? text : body, {});
        expect(got).not.toBe('gave up');
        expect(hex(got as TranscodeResult)).toEqual(hex(byObjects(body, {})));
      }),
      params(Math.ceil(RUNS / 4)),
    );
  });

  it('hand-rendered and damaged requests: transcodeJsonRequest and the sliced transcode answer as the decoder', async () => {
    await fc.assert(
      fc.asyncProperty(renderedBody(true), limitsArbitrary, async (body, limits) => {
        const options: DecodeOptions = limits === undefined ? {} : { limits };
        const want = await outcome(() => decodeJsonRequest(body, options));
        expectSame(want, await outcome(() => transcodeJsonRequest(body, options)), limits);
        // The sliced transcode renders an error by decodeJsonRequestSliced, whatever the size.
        const slicedWant = 'error' in want ? await outcome(() => decodeJsonRequestSliced(body, options)) : want;
        expectSame(slicedWant, await outcome(() => transcodeJsonRequestSliced(body, options)), limits);
      }),
      params(RUNS),
    );
  }, SLOW_TIMEOUT);

  it('enums in every form (negative, huge, as strings, by name): the same bytes', () => {
    const ids = `"traceId":"${'ab'.repeat(16)}","spanId":"${'cd'.repeat(8)}"`;
    for (const code of ['-1', '"-9223372036854775808"', '7', '"2"', '"STATUS_CODE_ERROR"', '1e0', '-0', 'null', '4294967296']) {
      const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{${ids},"kind":${code},"status":{"code":${code},"message":"m"}}]}]}]}`;
      const got = byBytes(body, {});
      if (got !== 'gave up') expect(hex(got)).toEqual(hex(byObjects(body, {})));
    }
  });

  it('hands out bytes of their own: a later transcode, reusing the buffers written into, leaves them as they were', async () => {
    // Random requests, and one of long strings, whose output outgrows the buffer it started in and nearly fills the next.
    const long = randomSpans(4).map((s) => createSpan({ traceId: s.traceId, spanId: s.spanId, name: 'n'.repeat(3000), attributes: { blob: 'b'.repeat(3000) } }));
    const bodies = [...[1, 2, 3].map(randomSpans), long].map((spans) => Buffer.from(JSON.stringify(jsonRequest(spans))));
    const first = bodies.map((b) => transcodeJsonRequest(b));
    const copies = first.map((t) => Buffer.from(t.bytes));
    // Each of the three paths again, many times over, on other requests.
    for (let i = 0; i < 20; i++) {
      transcodeJsonRequest(bodies[(i + 1) % 4]!);
      await transcodeJsonRequestSliced(bodies[(i + 2) % 4]!);
      await transcodeJsonRequestSliced(bodies[i % 4]!, { wholeParseMaxBytes: 0 });
    }
    first.forEach((t, k) => expect(Buffer.from(t.bytes).equals(copies[k]!)).toBe(true));
    expect(first.every((t) => t.bytes.buffer.byteLength === t.bytes.length)).toBe(true);
  });

  it("takes the spec's example request (pretty-printed, upper-case hex ids)", () => {
    const body = readFileSync(new URL('../testing/vectors/trace.json', import.meta.url));
    const got = byBytes(body, {});
    expect(got).not.toBe('gave up');
    expect(hex(got as TranscodeResult)).toEqual(hex(byObjects(body, {})));
  });

  it('a budget that runs out: as JsonTranscoder alone with the same budget, drawn on once', () => {
    fc.assert(
      fc.property(validBody, fc.double({ min: 0, max: 1.2, noNaN: true }), (body, share) => {
        const need = counting();
        byObjects(body, {}, need);
        const cap = Math.floor(need.total * share);
        const capped = () => {
          const budget = { held: 0, take: (n: number) => (budget.held + n <= cap ? ((budget.held += n), true) : false) };
          return budget;
        };
        const shared = capped();
        const summary = (run: () => unknown) => {
          try {
            run();
            return 'ok';
          } catch (e) {
            return `${(e as Error).name}: ${(e as Error).message}`;
          }
        };
        const want = summary(() => byObjects(body, {}, capped()));
        expect(summary(() => transcodeJsonRequest(body, { budget: shared }))).toBe(want);
        expect(shared.held).toBeLessThanOrEqual(cap);
      }),
      params(Math.ceil(RUNS / 4)),
    );
  });
});
