import type { Attributes } from '@opentelemetry/api';
import { PAYLOAD_ATTRIBUTE } from '@tracecheck/model/wire';
import type { Redactor } from './redaction/redactor.js';

export { PAYLOAD_ATTRIBUTE };

/**
 * The attributes recording `payload`: `effect.payload` (redacted JSON text, at most `limit` UTF-8
 * bytes), and when cut, `effect.payload.truncated = true` with the full size in `effect.payload.size`.
 */
export function payloadAttributes(payload: unknown, redactor: Redactor, limit: number): Attributes {
  let text: string;
  try {
    text = JSON.stringify(redactor.json(payload)) ?? 'null';
  } catch (error) {
    return { [PAYLOAD_ATTRIBUTE]: `[unserializable payload: ${(error as Error).message}]` };
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so short texts skip the byte count.
  if (text.length * 3 <= limit) return { [PAYLOAD_ATTRIBUTE]: text };
  const size = Buffer.byteLength(text);
  if (size <= limit) return { [PAYLOAD_ATTRIBUTE]: text };
  const cut = Buffer.from(text).subarray(0, limit).toString('utf8').replace(/\uFFFD+$/, '');
  return { [PAYLOAD_ATTRIBUTE]: cut, [`${PAYLOAD_ATTRIBUTE}.truncated`]: true, [`${PAYLOAD_ATTRIBUTE}.size`]: size };
}
