import { parseArgs } from 'node:util';
import { defaultLimits, keepHeapGrowth, startReceiver } from '@tracecheck/receiver';
import { parseDuration, parsePort, parseSize } from './units.js';
import { UsageError } from './usage-error.js';

export const receiveUsage = `Usage: tracecheck receive [options]

Runs a standalone OTLP receiver (HTTP and gRPC) with the tracecheck query API. Prints one line
  tracecheck ready http=http://HOST:PORT grpc=HOST:PORT
once it listens, and stops cleanly on SIGINT or SIGTERM.

Options:
  --host HOST            address to bind (default 127.0.0.1; loopback unless told otherwise)
  --http-port PORT       OTLP/HTTP and query API port (default 4318; 0 picks a free port)
  --grpc-port PORT       OTLP/gRPC port (default 4317; 0 picks a free port)
  --token TOKEN          require 'Authorization: Bearer TOKEN' on every endpoint
                         (default: $TRACECHECK_TOKEN if set)
  --max-body SIZE        largest request body as sent (default ${defaultLimits.maxBodyBytes / 1024 ** 2}MiB)
  --max-decompressed SIZE  largest request after decompression (default ${defaultLimits.maxDecompressedBytes / 1024 ** 2}MiB)
  --max-in-flight SIZE   request bodies buffered at once across connections (default ${defaultLimits.maxInFlightBytes / 1024 ** 2}MiB)
  --max-memory SIZE      span memory before exporters are told to retry (429) (default ${defaultLimits.maxMemoryBytes / 1024 ** 2}MiB)
  --retention DURATION   drop runs quiet for longer than this (default ${defaultLimits.retentionMs / 60_000}m)

Limits on what one request may decode into (over a count: dropped and counted, as OpenTelemetry
SDKs do; the exporter gets a partial-success warning):
  --max-attributes N     attributes per span, event, link, resource or scope (default ${defaultLimits.maxAttributes})
  --max-events N         events per span (default ${defaultLimits.maxEvents})
  --max-links N          links per span (default ${defaultLimits.maxLinks})
  --max-array-elements N elements of one array (entries of one kvlist) value; an attribute with
                         more is dropped (default ${defaultLimits.maxArrayElements})
  --max-value SIZE       one string or bytes value (and name, key); longer ones are truncated
                         (default ${defaultLimits.maxValueBytes / 1024 ** 2}MiB)
  --grpc-full-wait DURATION  how long a gRPC export waits for room while the store is full
                         (default ${defaultLimits.grpcFullWaitMs / 1000}s; the JS gRPC exporter retries nothing)
`;

function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${flag}: '${text}' is not a whole number >= 1`);
  return Number(text);
}

/** `tracecheck receive`: resolves once the receiver has stopped after a signal. */
export async function receive(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'http-port': { type: 'string', default: '4318' },
      'grpc-port': { type: 'string', default: '4317' },
      token: { type: 'string' },
      'max-body': { type: 'string' },
      'max-decompressed': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'max-memory': { type: 'string' },
      retention: { type: 'string' },
      'max-attributes': { type: 'string' },
      'max-events': { type: 'string' },
      'max-links': { type: 'string' },
      'max-array-elements': { type: 'string' },
      'max-value': { type: 'string' },
      'grpc-full-wait': { type: 'string' },
    },
  });
  const size = (flag: string, v: string | undefined) => (v === undefined ? undefined : parseSize(`--${flag}`, v));
  const receiver = await startReceiver({
    host: values.host,
    httpPort: parsePort('--http-port', values['http-port']),
    grpcPort: parsePort('--grpc-port', values['grpc-port']),
    token: values.token ?? (process.env.TRACECHECK_TOKEN || undefined),
    limits: {
      maxBodyBytes: size('max-body', values['max-body']),
      maxDecompressedBytes: size('max-decompressed', values['max-decompressed']),
      maxInFlightBytes: size('max-in-flight', values['max-in-flight']),
      maxMemoryBytes: size('max-memory', values['max-memory']),
      retentionMs: values.retention === undefined ? undefined : parseDuration('--retention', values.retention),
      maxAttributes: parseCount('--max-attributes', values['max-attributes']),
      maxEvents: parseCount('--max-events', values['max-events']),
      maxLinks: parseCount('--max-links', values['max-links']),
      maxArrayElements: parseCount('--max-array-elements', values['max-array-elements']),
      maxValueBytes: size('max-value', values['max-value']),
      grpcFullWaitMs: values['grpc-full-wait'] === undefined ? undefined : parseDuration('--grpc-full-wait', values['grpc-full-wait']),
    },
  });
  // This process is a receiver: its heap may grow enough between full collections (see keepHeapGrowth).
  const stopHeapGrowth = keepHeapGrowth();
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stopHeapGrowth();
      receiver.stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  out.write(`tracecheck ready http=${receiver.httpUrl} grpc=${receiver.grpcAddress}\n`);
  await stopped;
  return 0;
}
