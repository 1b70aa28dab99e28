import { decodeParsedJson } from '../decode-json.js';
import { OtlpDecodeError } from '../errors.js';
import { parseJsonBody, parseJsonBodySliced } from '../json-body.js';
import type { IncrementalJson } from '../json-incremental.js';
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
function decoderError(e: unknown, parsed: unknown, options: DecodeOptions, parser?: IncrementalJson): unknown {
  if (!(e instanceof OtlpDecodeError)) return e;
  try {
    decodeParsedJson(parsed, { limits: options.limits }, parser);
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
 * `transcodeJsonRequest` in slices, like decodeJsonRequestSliced (and failing like it): the body is
 * parsed incrementally, then transcoded span by span, pausing every `sliceMs` (default 10).
 */
export async function transcodeJsonRequestSliced(body: string | Uint8Array, options: SlicedDecodeOptions = {}): Promise<TranscodeResult> {
  const meter = new BudgetMeter(options.budget);
  const parser = await parseJsonBodySliced(body, options, meter);
  const transcoder = new JsonTranscoder(options, meter, capacityFor(body), parser);
  const steps = transcoder.request(parser.value);
  try {
    await runSliced(() => steps.next().done === true, options);
  } catch (e) {
    throw decoderError(e, parser.value, options, parser);
  }
  return transcoder.result();
}
