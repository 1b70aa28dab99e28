// Payloads as real services send them: spans made by the OpenTelemetry JS SDK and serialized by its
// own OTLP serializers (@opentelemetry/otlp-transformer, found through the receiver's exporter
// dependencies), and the protobufjs decode-only baseline the benches compare against.
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { NAMES, spanAttributes } from './payloads.mjs';

const receiver = createRequire(new URL('../packages/receiver/package.json', import.meta.url));
const exporter = createRequire(receiver.resolve('@opentelemetry/exporter-trace-otlp-http'));
const { JsonTraceSerializer, ProtobufTraceSerializer } = exporter('@opentelemetry/otlp-transformer');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = receiver('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = receiver('@opentelemetry/resources');
const api = receiver('@opentelemetry/api');

/**
 * Calls `each(spans)` for `batches` batches of `spansPerBatch` finished SDK spans: 10-span traces
 * (a SERVER root tagged with one of 50 run ids, nine CLIENT children), 9-10 attributes of mixed
 * types with a JSON payload, an event on every third span, an error on every 17th.
 */
export function forEachOfficialBatch(batches, spansPerBatch, each) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payments', 'service.version': '1.4.2', 'deployment.environment': 'ci', 'host.name': 'runner-7' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.52.0');
  let n = 0;
  let root;
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < spansPerBatch; i++, n++) {
      const isRoot = n % 10 === 0;
      const parent = isRoot ? api.ROOT_CONTEXT : api.trace.setSpan(api.ROOT_CONTEXT, root);
      const span = tracer.startSpan(isRoot ? 'POST /refunds' : NAMES[n % 4], { kind: isRoot ? api.SpanKind.SERVER : api.SpanKind.CLIENT }, parent);
      if (isRoot) {
        root = span;
        span.setAttribute('test.run.id', `run-${Math.floor(n / 10) % 50}`);
      }
      span.setAttributes(spanAttributes(n));
      if (n % 3 === 0) span.addEvent('retry', { attempt: 2 });
      if (n % 17 === 0) span.setStatus({ code: api.SpanStatusCode.ERROR, message: 'card_declined' });
      span.end();
    }
    each(memory.getFinishedSpans());
    memory.reset();
  }
}

/** `batches` requests of `spansPerBatch` spans each, serialized as OTLP protobuf and as OTLP/JSON. */
export function officialRequests(batches, spansPerBatch) {
  const protobufBodies = [];
  const jsonBodies = [];
  forEachOfficialBatch(batches, spansPerBatch, (spans) => {
    protobufBodies.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)));
    jsonBodies.push(Buffer.from(JsonTraceSerializer.serializeRequest(spans)));
  });
  return { protobuf: protobufBodies, json: jsonBodies };
}

export { ProtobufTraceSerializer };

/**
 * protobufjs's Type.decode over the request's messages (the package keeps its schema private):
 * what a generic protobuf library does to read a request, building every message and no more.
 */
export const protobufjsRequest = protobuf.parse(`syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Scope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }
message Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12; repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15; }
message ScopeSpans { Scope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Request { repeated ResourceSpans resource_spans = 1; }`).root.lookupType('Request');
