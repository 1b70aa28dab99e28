import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body.js';
import { HttpError, RequestAbortedError } from './http-error.js';
import type { InFlightBudget } from './in-flight.js';
import type { ReceiverLimits } from './limits.js';
import { otlpFormat, sendOtlpError } from './otlp-http.js';
import { send } from './respond.js';

/**
 * `POST /v1/metrics` and `POST /v1/logs`: accepted and discarded. A service pointed at the receiver
 * with `OTEL_EXPORTER_OTLP_ENDPOINT` exports every signal it has enabled to the same base URL; a
 * 404 would make its SDK log an export error on every interval, noise in the CI output that says
 * nothing about the test. tracecheck only asserts on traces. The body is still read within
 * `maxBodyBytes` and its content type checked, as for traces.
 */
export async function handleDiscard(req: IncomingMessage, res: ServerResponse, ctx: { limits: ReceiverLimits; inFlight: InFlightBudget }): Promise<void> {
  const format = otlpFormat(req.headers['content-type']);
  let held = 0;
  try {
    if (format === undefined) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Type "${req.headers['content-type'] ?? ''}" (use application/x-protobuf or application/json)`);
    }
    held = (await readBody(req, ctx.limits.maxBodyBytes, ctx.inFlight)).length;
    // The Export*ServiceResponse messages are all empty on success: no bytes in protobuf, {} in JSON.
    send(req, res, 200, format === 'protobuf' ? 'application/x-protobuf' : 'application/json', format === 'protobuf' ? new Uint8Array() : '{}');
  } catch (err) {
    if (err instanceof RequestAbortedError) return;
    if (!(err instanceof HttpError)) throw err;
    sendOtlpError(req, res, format, err.status, err.message, err.headers);
  } finally {
    ctx.inFlight.release(held);
  }
}
