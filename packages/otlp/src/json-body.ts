import { MAX_VALUE_DEPTH } from './enums.js';
import { OtlpDecodeError } from './errors.js';
import { IncrementalJson } from './json-incremental.js';
import { type BudgetMeter, DEFAULT_DECODE_LIMITS } from './limits.js';
import { runSliced, type SlicedDecodeOptions } from './slicing.js';

/*
 * Parsing an OTLP/JSON request body, whole or in slices. Shared by the JSON decoder and the
 * JSON -> protobuf transcoder, so both accept the same bodies and fail with the same messages.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body parsed by JSON.parse; OtlpDecodeError for invalid UTF-8 or JSON. */
export function parseJsonBody(body: string | Uint8Array): unknown {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      throw new OtlpDecodeError('request body is not valid UTF-8');
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new OtlpDecodeError(`invalid JSON: ${(e as Error).message}`);
  }
}

/**
 * Bodies up to this many bytes (characters, for a string) are parsed by JSON.parse, in one go. It
 * reads OTLP/JSON at about 200 MB/s (node 20; bench/ingest.mjs's payloads), so 1 MiB takes about
 * 5 ms, half a slice, and several times faster than the incremental parser, which larger bodies
 * get so that none holds the event loop for long. (transcodeJsonRequestSliced reads such a body
 * with its byte-level transcoder first, at least as fast, and pausing between spans.)
 */
export const WHOLE_PARSE_MAX_BYTES = 1 << 20;

/** A sliced parse that may take the body whole when it is small. */
export interface JsonSlicedDecodeOptions extends SlicedDecodeOptions {
  /** Largest body parsed by JSON.parse in one go (default WHOLE_PARSE_MAX_BYTES; 0: always incrementally). */
  readonly wholeParseMaxBytes?: number;
}

/** A parsed body, and the incremental parser that parsed it, if one did (it knows what it left out). */
export interface ParsedJsonBody {
  readonly value: unknown;
  readonly parser?: IncrementalJson;
}

/**
 * The body parsed by JSON.parse when it is at most `wholeParseMaxBytes`, else by the incremental
 * parser (parseJsonBodySliced). A small body JSON.parse refuses is parsed again incrementally, so
 * its error reads the same on both sides of the threshold.
 */
export async function parseJsonBodyAdaptive(body: string | Uint8Array, options: JsonSlicedDecodeOptions, meter: BudgetMeter): Promise<ParsedJsonBody> {
  if (body.length <= (options.wholeParseMaxBytes ?? WHOLE_PARSE_MAX_BYTES)) {
    try {
      return { value: parseJsonBody(body) };
    } catch {
      // The incremental parser refuses it too, with its own message.
    }
  }
  const parser = await parseJsonBodySliced(body, options, meter);
  return { value: parser.value, parser };
}

/** Arrays the incremental parser keeps whole: the request's own lists, bounded by the memory budget. */
const UNCAPPED = new Set(['resourceSpans', 'scopeSpans', 'spans']);
/** Deepest JSON nesting accepted: attribute values nested MAX_VALUE_DEPTH levels need about 3 per level. */
const MAX_JSON_DEPTH = 16 + 3 * MAX_VALUE_DEPTH;

/**
 * The body parsed by an incremental parser (JSON.parse cannot pause), pausing every `sliceMs`. It
 * builds no more of an over-long array than the limits keep (`discardedOf` counts the rest) and
 * charges what it builds to `meter`.
 */
export async function parseJsonBodySliced(body: string | Uint8Array, options: SlicedDecodeOptions, meter: BudgetMeter): Promise<IncrementalJson> {
  const limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits };
  const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parser = new IncrementalJson(buf, {
    // One more than any limit keeps, so the decoder still sees (and counts) what is over it.
    maxElements: Math.max(limits.maxAttributes, limits.maxEvents, limits.maxLinks, limits.maxArrayElements) + 1,
    uncappedKeys: UNCAPPED,
    maxDepth: MAX_JSON_DEPTH,
    meter,
  });
  await runSliced(() => parser.step(256), { ...options, checkEvery: 1 });
  return parser;
}
