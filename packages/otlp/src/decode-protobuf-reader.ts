import type { DecodeResult } from './decode-result.js';
import { createReader, withDecodeErrors } from './proto-reader.js';
import { ReaderDecoder } from './reader-decoder.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from './slicing.js';

// The decoder itself is in reader-decoder.ts, apart from these entry points: its declaration names
// protobufjs's Reader, which the package's public types must not pull in.

/**
 * Decodes a protobuf ExportTraceServiceRequest with the hand-written Reader decoder, within
 * `options.limits` (defaults: DEFAULT_DECODE_LIMITS) and `options.budget`.
 */
export function decodeProtobufRequestReader(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const reader = createReader(bytes);
  const decoder = new ReaderDecoder(reader, options);
  return withDecodeErrors(reader, () => {
    const steps = decoder.request();
    while (!steps.next().done);
    return decoder.result();
  });
}

/**
 * `decodeProtobufRequestReader` in slices: after each span, once `sliceMs` (default 10) of work has
 * passed, it waits for `options.pause` (default: setImmediate), so other requests and timers run
 * between slices and a 64 MiB request never holds the event loop for long.
 */
export async function decodeProtobufRequestSliced(bytes: Uint8Array, options: SlicedDecodeOptions = {}): Promise<DecodeResult> {
  const reader = createReader(bytes);
  const decoder = new ReaderDecoder(reader, options);
  const steps = decoder.request();
  await runSliced(() => withDecodeErrors(reader, () => steps.next().done === true), options);
  return decoder.result();
}

