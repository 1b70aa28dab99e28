import { isUtf8 } from 'node:buffer';
import { decodeJsonRequestSliced, decodeParsedJson, decodeParsedJsonSliced } from '../decode-json.js';
import { OtlpDecodeError } from '../errors.js';
import { type JsonSlicedDecodeOptions, type ParsedJsonBody, parseJsonBody, parseJsonBodyAdaptive, WHOLE_PARSE_MAX_BYTES } from '../json-body.js';
import { BudgetMeter, type DecodeBudget, OtlpBudgetError } from '../limits.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from '../slicing.js';
import { FAST_PATH_BAIL } from './byte-scanner.js';
import { FastJsonTranscoder } from './fast-transcoder.js';
import { JsonTranscoder, type TranscodeResult } from './json-to-proto.js';

/*
 * OTLP/JSON -> OTLP protobuf, at ingest: a store that keeps each request's protobuf bytes (and
 * decodes spans lazily) takes JSON requests too, at less than half the size of their text. The
 * result means exactly what decodeJsonRequest would give: decodeProtobufRequest(bytes).spans equals
 * its spans, with the same rejections, limits and partial-success message.
 *
 * Two paths, one answer. The byte-level transcoder (fast-transcoder.ts) reads the body's bytes, no
 * JSON.parse and no objects, in about the time JSON.parse alone would take, and gives up on anything
 * unusual; then JSON.parse (or the incremental parser) and a walk of its objects (json-to-proto.ts)
 * decide, and render any error. Both write the same bytes for what both take (the differential
 * tests hold them to it).
 */

/**
 * The body's bytes for the byte-level transcoder, or undefined when it cannot take them: invalid
 * UTF-8 (the JSON.parse path names it), or a string with a lone surrogate (which has no UTF-8).
 */
function bytesOf(body: string | Uint8Array): Buffer | undefined {
  if (typeof body === 'string') return /[\uD800-\uDFFF]/u.test(body) ? undefined : Buffer.from(body);
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return isUtf8(buf) ? buf : undefined;
}

/**
 * The budget as the byte-level transcoder draws on it and, when that gives up, as the JSON.parse
 * path does after it: what was taken first is taken again for free, so the request pays once and
 * the second path is refused exactly when it would have been on its own.
 */
class SharedBudget implements DecodeBudget {
  private credit = 0;
  private second = false;

  constructor(private readonly budget: DecodeBudget) {}

  take(n: number): boolean {
    if (!this.second) {
      if (!this.budget.take(n)) return false;
      this.credit += n;
      return true;
    }
    if (n <= this.credit) {
      this.credit -= n;
      return true;
    }
    if (!this.budget.take(n - this.credit)) return false;
    this.credit = 0;
    return true;
  }

  /** From now on, the JSON.parse path draws. */
  handOver(): void {
    this.second = true;
  }
}

/** Whether the byte-level transcoder gave up (the JSON.parse path decides then); anything else is a bug. */
function gaveUp(e: unknown): boolean {
  return e === FAST_PATH_BAIL || e instanceof OtlpDecodeError || e instanceof OtlpBudgetError;
}

/** Protobuf is about 0.4 of OTLP/JSON's size; starting there, the writer rarely grows. */
const capacityFor = (body: string | Uint8Array): number => Math.ceil(body.length / 2);

/**
 * The error decodeJsonRequest gives for a request the transcoder found malformed: the decoder keeps
 * the field path and renders the message, so both fail alike. Anything else is passed on.
 */
function decoderError(e: unknown, parsed: unknown, options: DecodeOptions): unknown {
  if (!(e instanceof OtlpDecodeError)) return e;
  try {
    decodeParsedJson(parsed, { limits: options.limits });
  } catch (error) {
    return error;
  }
  return e;
}

/**
 * `decoderError` for the sliced transcode, in slices: the body may be tens of MB. A tree JSON.parse
 * built is parsed again incrementally, so the error is the one a body over the threshold would get
 * (the incremental parser caps nesting, which JSON.parse does not); such a body is small.
 */
async function decoderErrorSliced(e: unknown, body: string | Uint8Array, parsed: ParsedJsonBody, options: SlicedDecodeOptions): Promise<unknown> {
  if (!(e instanceof OtlpDecodeError)) return e;
  // No budget: the request is refused whatever it would cost, and its answer must not depend on it.
  const rerun: SlicedDecodeOptions = { limits: options.limits, sliceMs: options.sliceMs, pause: options.pause, checkEvery: options.checkEvery };
  try {
    if (parsed.parser === undefined) await decodeJsonRequestSliced(body, rerun);
    else await decodeParsedJsonSliced(parsed, rerun);
  } catch (error) {
    return error;
  }
  return e;
}

/**
 * Transcodes an OTLP/JSON ExportTraceServiceRequest body to a protobuf one, leaving out the spans
 * decodeJsonRequest rejects and applying its limits. Throws what decodeJsonRequest throws.
 */
export function transcodeJsonRequest(body: string | Uint8Array, options: DecodeOptions = {}): TranscodeResult {
  const buf = bytesOf(body);
  const shared = options.budget === undefined ? undefined : new SharedBudget(options.budget);
  if (buf !== undefined) {
    const transcoder = new FastJsonTranscoder(buf, options, new BudgetMeter(shared), capacityFor(buf));
    try {
      const steps = transcoder.request();
      while (!steps.next().done);
      return transcoder.result();
    } catch (e) {
      if (!gaveUp(e)) throw e;
    }
    shared?.handOver();
  }
  return transcodeParsed(body, shared === undefined ? options : { ...options, budget: shared });
}

/** `transcodeJsonRequest` by JSON.parse and a walk of its objects. */
function transcodeParsed(body: string | Uint8Array, options: DecodeOptions): TranscodeResult {
  const parsed = parseJsonBody(body);
  const transcoder = new JsonTranscoder(options, new BudgetMeter(options.budget), capacityFor(body));
  try {
    const steps = transcoder.request(parsed);
    while (!steps.next().done);
  } catch (e) {
    throw decoderError(e, parsed, options);
  }
  return transcoder.result();
}

/**
 * `transcodeJsonRequest` in slices, like decodeJsonRequestSliced (and failing like it): a body up to
 * `wholeParseMaxBytes` is read by the byte-level transcoder, or if it gives up parsed by JSON.parse;
 * a larger one is parsed incrementally. The request is transcoded span by span, pausing every
 * `sliceMs` (default 10).
 */
export async function transcodeJsonRequestSliced(body: string | Uint8Array, options: JsonSlicedDecodeOptions = {}): Promise<TranscodeResult> {
  // Bytes first, for a body JSON.parse would take whole: the byte-level transcoder pauses only
  // between spans, and such a body takes it a few ms at most.
  const buf = body.length <= (options.wholeParseMaxBytes ?? WHOLE_PARSE_MAX_BYTES) ? bytesOf(body) : undefined;
  const shared = options.budget === undefined ? undefined : new SharedBudget(options.budget);
  if (buf !== undefined) {
    const transcoder = new FastJsonTranscoder(buf, options, new BudgetMeter(shared), capacityFor(buf));
    try {
      const steps = transcoder.request();
      await runSliced(() => steps.next().done === true, options);
      return transcoder.result();
    } catch (e) {
      if (!gaveUp(e)) throw e;
    }
    shared?.handOver();
  }
  const meter = new BudgetMeter(shared);
  const parsed = await parseJsonBodyAdaptive(body, options, meter);
  const transcoder = new JsonTranscoder(options, meter, capacityFor(body), parsed.parser);
  const steps = transcoder.request(parsed.value);
  try {
    await runSliced(() => steps.next().done === true, options);
  } catch (e) {
    throw await decoderErrorSliced(e, body, parsed, options);
  }
  return transcoder.result();
}
