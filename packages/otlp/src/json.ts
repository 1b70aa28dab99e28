/**
 * `@tracecheck/otlp/json`: OTLP/JSON decoding alone. A short-lived process that reads JSON (the
 * CLI's `check --file`) imports this instead of the package entry, which also loads the protobuf
 * decoders and protobufjs: about 30 ms of start-up that such a process would pay for nothing.
 */
export { decodeJsonRequest } from './decode-json.js';
export type { DecodeResult } from './decode-result.js';
export { OtlpDecodeError } from './errors.js';
export type { DecodeErrorLocation } from './errors.js';
