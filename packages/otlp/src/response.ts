import { otlpTypes } from './schema.js';

/*
 * What the receiver answers (OTLP/HTTP spec, "OTLP/HTTP Response"): an ExportTraceServiceResponse on
 * success, with partial_success set only when spans were rejected; a google.rpc.Status on failure.
 * Each in the request's encoding: protobuf bytes, or OTLP/JSON text.
 */

/** The partial-success part of a decode or store outcome. */
export interface ExportPartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/** A google.rpc.Status: a gRPC status code (3 = INVALID_ARGUMENT, ...) and a message for people. */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}

/** The OTLP/JSON form of ExportTraceServiceResponse. */
export interface JsonExportTraceServiceResponse {
  partialSuccess?: { rejectedSpans: string; errorMessage: string };
}

/** ExportTraceServiceResponse bytes: empty (full success) unless spans were rejected. */
export function encodeProtobufResponse(result: ExportPartialSuccess): Uint8Array {
  if (result.rejectedSpans === 0 && result.errorMessage === '') return new Uint8Array(0);
  const message = {
    partialSuccess: { rejectedSpans: result.rejectedSpans, errorMessage: result.errorMessage },
  };
  return otlpTypes.ExportTraceServiceResponse.encode(message).finish();
}

/** The OTLP/JSON ExportTraceServiceResponse object (int64 rejectedSpans as a decimal string). */
export function jsonResponseObject(result: ExportPartialSuccess): JsonExportTraceServiceResponse {
  if (result.rejectedSpans === 0 && result.errorMessage === '') return {};
  return { partialSuccess: { rejectedSpans: String(result.rejectedSpans), errorMessage: result.errorMessage } };
}

/** The OTLP/JSON ExportTraceServiceResponse as body text. */
export function jsonResponse(result: ExportPartialSuccess): string {
  return JSON.stringify(jsonResponseObject(result));
}

/** google.rpc.Status bytes, the protobuf failure body. */
export function encodeProtobufStatus(status: RpcStatus): Uint8Array {
  return otlpTypes.RpcStatus.encode({ code: status.code, message: status.message }).finish();
}

/** google.rpc.Status as OTLP/JSON body text. */
export function jsonStatus(status: RpcStatus): string {
  return JSON.stringify({ code: status.code, message: status.message });
}
