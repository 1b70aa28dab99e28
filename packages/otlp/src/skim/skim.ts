import { decodeProtobufRequestReader, decodeProtobufRequestSliced } from '../decode-protobuf-reader.js';
import { OtlpDecodeError } from '../errors.js';
import { createReader, withDecodeErrors } from '../proto-reader.js';
import { type DecodeOptions, runSliced, type SlicedDecodeOptions } from '../slicing.js';
import { SkimDecoder } from './skim-decoder.js';
import type { SkimResult } from './skim-result.js';

/*
 * Entry points of the skim. A request the skim refuses is decoded again by the full decoder, whose
 * error is the one thrown: refusals are rare, and their messages (what and at which offset) are what
 * a user acts on, so they come from one place.
 */

/**
 * Skims a protobuf ExportTraceServiceRequest: accepts and refuses exactly as decodeProtobufRequest
 * does (same errors, rejections, limits and budget refusals), but keeps only the index columns of
 * each span beside the request's bytes (see SkimResult).
 */
export function skimProtobufRequest(bytes: Uint8Array, options: DecodeOptions = {}): SkimResult {
  const owned = ownedBytes(bytes);
  const reader = createReader(owned);
  const decoder = new SkimDecoder(reader, options, expectedRows(owned), Infinity);
  try {
    return withDecodeErrors(reader, () => {
      decoder.chargeArena(owned.byteLength);
      const steps = decoder.request();
      while (!steps.next().done);
      return decoder.skimResult(owned);
    });
  } catch (e) {
    if (e instanceof OtlpDecodeError) decodeProtobufRequestReader(owned, { limits: options.limits });
    throw e;
  }
}

/**
 * Spans skimmed between two readings of the clock: about 20 µs of real spans. Each step costs a
 * resumption of the walk and a clock reading, a few percent of the skim when it was every 8 spans;
 * a slice ends within a step of `sliceMs` (32 spans the full decoder reads near its limits take a
 * few ms at worst).
 */
const SPANS_PER_STEP = 32;

/**
 * `skimProtobufRequest` in slices, pausing between spans as decodeProtobufRequestSliced does (and
 * decoding a refused request again in slices too).
 */
export async function skimProtobufRequestSliced(bytes: Uint8Array, options: SlicedDecodeOptions = {}): Promise<SkimResult> {
  const owned = ownedBytes(bytes);
  const reader = createReader(owned);
  // The walk yields every `checkEvery` spans, and the clock is read at each yield.
  const decoder = new SkimDecoder(reader, options, expectedRows(owned), options.checkEvery ?? SPANS_PER_STEP);
  try {
    withDecodeErrors(reader, () => decoder.chargeArena(owned.byteLength));
    const steps = decoder.request();
    await runSliced(() => withDecodeErrors(reader, () => steps.next().done === true), { ...options, checkEvery: 1 });
    return withDecodeErrors(reader, () => decoder.skimResult(owned));
  } catch (e) {
    if (e instanceof OtlpDecodeError) await decodeProtobufRequestSliced(owned, { ...options, budget: undefined });
    throw e;
  }
}

/**
 * The bytes the result may keep: a view into a larger buffer (Node's pool hands out slices of 8 KiB
 * slabs; a body may be a slice of a bigger read) is copied, so it does not pin the rest.
 */
function ownedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/**
 * A first guess of the span count, so columns rarely grow: real spans take a few hundred bytes (a row
 * of columns takes under 80 bytes, so a request of larger spans wastes little).
 */
function expectedRows(bytes: Uint8Array): number {
  return Math.ceil(bytes.byteLength / 200);
}
