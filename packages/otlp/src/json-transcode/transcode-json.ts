import { decodeJsonRequestSliced, decodeParsedJson, decodeParsedJsonSliced } from '../decode-json.js';
import { OtlpDecodeError } from '../errors.js';
import { type JsonSlicedDecodeOptions, type ParsedJsonBody, parseJsonBody, parseJsonBodyAdaptive } from '../json-body.js';
import { BudgetMeter } from '../limits.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from '../slicing.js';
import { JsonTranscoder, type TranscodeResult } from './json-to-proto.js';

/*
 * OTLP/JSON -> OTLP protobuf, at ingest: a store that keeps each request's protobuf bytes (and
 * decodes spans lazily) takes JSON requests too, at less than half the size of their text. The
 * result means exactly what decodeJsonRequest would give: decodeProtobufRequest(bytes).spans equals
 * its spans, with the same rejections, limits and partial-success message.
 */

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
 * `wholeParseMaxBytes` is parsed by JSON.parse, a larger one incrementally, then the request is
 * transcoded span by span, pausing every `sliceMs` (default 10).
 */
export async function transcodeJsonRequestSliced(body: string | Uint8Array, options: JsonSlicedDecodeOptions = {}): Promise<TranscodeResult> {
  const meter = new BudgetMeter(options.budget);
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
