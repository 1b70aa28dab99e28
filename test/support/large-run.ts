import { anyInt, anyString, request, runAttribute, span } from '../../scripts/fuzz/protobuf.mjs';

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/**
 * Exports `count` small spans of run `runId` (8 to a trace, each with a `seq` int and a 64-byte
 * payload) to the receiver at `httpUrl` over OTLP/HTTP protobuf, 500 a request; throws when an
 * export is not answered 200.
 */
export async function exportLargeRun(httpUrl: string, runId: string, count: number): Promise<void> {
  for (let from = 0; from < count; from += 500) {
    const spans = Array.from({ length: Math.min(500, count - from) }, (_, i) =>
      span({ traceId: hex(((from + i) >> 3) + 1, 32), spanId: hex(from + i + 1, 16), attributes: [runAttribute(runId), ['seq', anyInt(from + i)], ['payload', anyString('x'.repeat(64))]] }),
    );
    const res = await fetch(`${httpUrl}/v1/traces`, { method: 'POST', body: request(spans), headers: { 'content-type': 'application/x-protobuf' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`export of spans ${from}.. answered ${res.status}`);
  }
}
