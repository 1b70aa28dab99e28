import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SdkConfigError } from './errors.js';
import type { SpanExporterLike } from './span-types.js';

/** The OTLP protocols, as OTEL_EXPORTER_OTLP_PROTOCOL spells them. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

const protocols: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** The protocol in use: the option, else OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
export function resolveProtocol(option: OtlpProtocol | undefined, env: NodeJS.ProcessEnv = process.env): OtlpProtocol {
  const setting = option !== undefined ? 'protocol' : env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = option ?? (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() || env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || 'http/protobuf');
  if (!protocols.includes(value as OtlpProtocol)) throw new SdkConfigError(setting, value, `one of ${protocols.join(', ')}`);
  return value as OtlpProtocol;
}

/**
 * The traces URL the exporter will use, by the OTLP exporter rules: the `endpoint` option or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT plus `/v1/traces`
 * (HTTP), else the local default (4318 for HTTP, 4317 for gRPC).
 */
export function resolveTracesUrl(protocol: OtlpProtocol, endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (endpoint) return endpoint;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (signal) return signal;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (protocol === 'grpc') return base || 'http://localhost:4317';
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return 'http://localhost:4318/v1/traces';
}

/**
 * An official OTLP trace exporter for `protocol`. Without an explicit `url` it configures itself from
 * the OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout, compression, certificates). The
 * http/json and grpc exporters are optional peer dependencies, loaded only when chosen.
 */
export async function createTraceExporter(protocol: OtlpProtocol, url: string | undefined): Promise<SpanExporterLike> {
  const config = url ? { url } : {};
  switch (protocol) {
    case 'http/protobuf':
      return new ProtoExporter(config);
    case 'http/json': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter(config);
    }
    case 'grpc': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter(config);
    }
  }
}
