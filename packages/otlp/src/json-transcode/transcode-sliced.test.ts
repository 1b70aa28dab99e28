import { createSpan, type Span } from '@tracecheck/model';
import { describe, expect, it } from 'vitest';
import { encodeJsonRequest, OtlpDecodeError, transcodeJsonRequest, transcodeJsonRequestSliced } from '../index.js';
import { type JsonSlicedDecodeOptions, WHOLE_PARSE_MAX_BYTES } from '../json-body.js';

// What the differential tests cannot see: where the sliced transcode pauses, on both sides of the
// whole-parse threshold and on its error path.

let n = 0;
const span = (init: Partial<Parameters<typeof createSpan>[0]> = {}): Span =>
  createSpan({ traceId: 'ab'.repeat(16), spanId: (++n).toString(16).padStart(16, '0'), name: 'op', ...init });
const spans = (count: number): Span[] => Array.from({ length: count }, () => span({ attributes: { 'test.run.id': 'r1', 'http.route': '/orders/:id', amount: 2500 } }));

/** The sliced transcode, pausing at every chance (sliceMs 0), and how often it paused. */
async function sliced(body: string | Uint8Array, options: JsonSlicedDecodeOptions = {}): Promise<{ outcome: unknown; pauses: number }> {
  let pauses = 0;
  const run = transcodeJsonRequestSliced(body, { ...options, sliceMs: 0, checkEvery: 1, pause: async () => void pauses++ });
  // Bytes as hex: vitest compares long Buffers element by element, which takes seconds.
  const outcome = await run.then(
    (r) => Buffer.from(r.bytes).toString('hex'),
    (e: Error) => e.message,
  );
  return { outcome, pauses };
}

describe('transcodeJsonRequestSliced', () => {
  // Spans of about 300 bytes of JSON: 5,000 of them are over the threshold, 1,000 well under it.
  const over = Buffer.from(encodeJsonRequest(spans(5000)));
  const under = Buffer.from(encodeJsonRequest(spans(1000)));

  it('parses a body over WHOLE_PARSE_MAX_BYTES incrementally (pausing), one under it whole, alike', async () => {
    expect(over.length).toBeGreaterThan(WHOLE_PARSE_MAX_BYTES);
    expect(under.length).toBeLessThan(WHOLE_PARSE_MAX_BYTES);
    for (const body of [over, under]) {
      const byDefault = await sliced(body);
      const whole = await sliced(body, { wholeParseMaxBytes: Infinity });
      const incremental = await sliced(body, { wholeParseMaxBytes: 0 });
      expect(whole.outcome).toBe(Buffer.from(transcodeJsonRequest(body).bytes).toString('hex'));
      expect(incremental.outcome).toBe(whole.outcome);
      // Whole, it pauses only between spans; incrementally, while parsing too.
      expect(whole.pauses).toBeLessThan(incremental.pauses);
      expect(byDefault.pauses).toBe(body === over ? incremental.pauses : whole.pauses);
    }
  });

  it('renders the error of a large malformed request in slices too', async () => {
    const valid = await sliced(over);
    // The last span malformed: the transcoder finds it at the end, then the decoder walks it all again for the message.
    const text = over.toString();
    const at = text.lastIndexOf('"name":"op"');
    const malformed = Buffer.from(`${text.slice(0, at)}"name":5${text.slice(at + '"name":"op"'.length)}`);
    const bad = await sliced(malformed);
    expect(bad.outcome).toMatch(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[4999\]\.name: expected a string, got 5$/);
    // Beyond the pauses of the parse and the transcode, about one per span of the decoder's walk.
    expect(bad.pauses - valid.pauses).toBeGreaterThan(4900);
  });

  it('fails a small body JSON.parse refuses, or that nests deeper than the incremental parser takes, as that parser does', async () => {
    const truncated = under.subarray(0, 1000);
    const deep = Buffer.from(`{"resourceSpans":${'['.repeat(500)}${']'.repeat(500)}}`);
    for (const body of [truncated, deep]) {
      const whole = await sliced(body, { wholeParseMaxBytes: Infinity });
      expect(whole.outcome).toBe((await sliced(body, { wholeParseMaxBytes: 0 })).outcome);
      expect(whole.outcome).toMatch(/^invalid JSON: /);
    }
    await expect(transcodeJsonRequestSliced(truncated)).rejects.toBeInstanceOf(OtlpDecodeError);
  });
});
