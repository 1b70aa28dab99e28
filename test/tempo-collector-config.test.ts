import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TempoSim } from './tempo-sim/sim.js';

// The Collector and Tempo configurations in collector-config/ were NOT executed here: neither a
// Collector nor Tempo can be installed where this repository is tested. This test parses each file
// and checks every component type and every key against the lists below, which were read from the
// components' configuration structs (`mapstructure` / `yaml` tags) in the Collector's and Tempo's
// source; collector-config/README.md names the file and the version for each.

const dir = fileURLToPath(new URL('../collector-config/', import.meta.url));
const load = (name: string): Record<string, unknown> => parse(readFileSync(dir + name, 'utf8')) as Record<string, unknown>;

type Shape = { [key: string]: Shape | 'value' | 'list' };

/** Component types and the keys they take (the subset these files may use), per kind. */
const COMPONENTS: Record<'receivers' | 'processors' | 'exporters', Record<string, Shape>> = {
  receivers: {
    // core receiver/otlpreceiver/config.go: Protocols{GRPC `grpc`, HTTP `http`}, ServerConfig `endpoint`
    otlp: { protocols: { grpc: { endpoint: 'value' }, http: { endpoint: 'value' } } },
  },
  processors: {
    // core processor/batchprocessor/config.go
    batch: { timeout: 'value', send_batch_size: 'value', send_batch_max_size: 'value' },
    // contrib processor/filterprocessor/config.go: ErrorMode `error_mode`, Traces `traces` {resource, span, spanevent}
    filter: { error_mode: 'value', traces: { resource: 'list', span: 'list', spanevent: 'list' } },
  },
  exporters: {
    // core exporter/otlphttpexporter/config.go + config/confighttp/client.go + config/configretry
    otlphttp: { endpoint: 'value', traces_endpoint: 'value', headers: 'value', compression: 'value', timeout: 'value', retry_on_failure: { enabled: 'value', initial_interval: 'value', max_interval: 'value', max_elapsed_time: 'value' }, sending_queue: 'value' },
    // core exporter/otlpexporter/config.go + config/configgrpc/configgrpc.go + config/configtls
    otlp: { endpoint: 'value', headers: 'value', compression: 'value', tls: { insecure: 'value', ca_file: 'value' }, retry_on_failure: 'value', sending_queue: 'value' },
    // contrib exporter/fileexporter/config.go
    file: { path: 'value', format: 'value' },
  },
};

/** Keys of `value` not in `shape`, as dotted paths. */
function unknownKeys(value: unknown, shape: Shape, at: string): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected a mapping`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const s = shape[k];
    if (s === undefined) out.push(`${at}.${k}`);
    else if (s === 'list') {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) out.push(`${at}.${k}: expected a list of strings`);
    } else if (s !== 'value') out.push(...unknownKeys(v, s, `${at}.${k}`));
  }
  return out;
}

/** Every problem with a Collector config: unknown types or keys, pipelines naming undefined components. */
function collectorProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const [id, body] of Object.entries((config[kind] ?? {}) as Record<string, unknown>)) {
      const type = id.split('/')[0]!;
      const shape = COMPONENTS[kind][type];
      if (!shape) problems.push(`${kind}.${id}: type '${type}' is not one of ${Object.keys(COMPONENTS[kind]).join(', ')}`);
      else problems.push(...unknownKeys(body, shape, `${kind}.${id}`));
    }
  }
  const service = config.service as { pipelines?: Record<string, Record<string, string[]>> } | undefined;
  const pipelines = Object.entries(service?.pipelines ?? {});
  if (pipelines.length === 0) problems.push('service.pipelines: none');
  for (const [name, p] of pipelines) {
    if (!/^traces(\/[\w-]+)?$/.test(name)) problems.push(`service.pipelines.${name}: not a traces pipeline`);
    for (const key of Object.keys(p)) if (!['receivers', 'processors', 'exporters'].includes(key)) problems.push(`service.pipelines.${name}.${key}`);
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of p[kind] ?? []) if (!(id in ((config[kind] ?? {}) as object))) problems.push(`service.pipelines.${name}.${kind}: '${id}' is not defined`);
    }
    if ((p.receivers ?? []).length === 0 || (p.exporters ?? []).length === 0) problems.push(`service.pipelines.${name}: needs a receiver and an exporter`);
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const id of Object.keys((config[kind] ?? {}) as object)) {
      if (!pipelines.some(([, p]) => (p[kind] ?? []).includes(id))) problems.push(`${kind}.${id}: defined but in no pipeline`);
    }
  }
  return problems;
}

/** `${env:NAME}` references: the syntax the Collector expands (core CHANGELOG v0.62.0, v0.71.0 inside strings). */
function envRefs(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
}

describe('collector-config/ (parsed and checked, not executed)', () => {
  for (const file of ['ci-tee.yaml', 'tempo.yaml', 'file-export.yaml']) {
    it(`${file}: known component types and keys, pipelines that hold together`, () => {
      expect(collectorProblems(load(file))).toEqual([]);
      const text = readFileSync(dir + file, 'utf8');
      for (const ref of envRefs(text)) expect(ref).toMatch(/^env:[A-Z_][A-Z0-9_]*$/);
      expect(text).toMatch(/NOT EXECUTED HERE/);
    });
  }

  it('the checker is not vacuous: it names an unknown type, an unknown key and an undefined component', () => {
    const bad = { receivers: { otlp: { protocols: { grpc: { endpont: 'x' } } } }, processors: { filtre: {} }, exporters: { file: { path: 'x' } }, service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['file'] } } } };
    expect(collectorProblems(bad)).toEqual(['receivers.otlp.protocols.grpc.endpont', "processors.filtre: type 'filtre' is not one of batch, filter", "service.pipelines.traces.processors: 'batch' is not defined", 'processors.filtre: defined but in no pipeline']);
  });

  it('ci-tee.yaml: the backend gets every span, tracecheck only spans with test.run.id (OTTL: a span is dropped when a condition is true)', () => {
    const c = load('ci-tee.yaml') as { processors: Record<string, { traces?: { span?: string[] }; error_mode?: string }>; service: { pipelines: Record<string, { processors: string[]; exporters: string[] }> } };
    const { pipelines } = c.service;
    expect(pipelines['traces/backend']).toMatchObject({ processors: ['batch'], exporters: ['otlphttp/backend'] });
    expect(pipelines['traces/tracecheck']!.processors[0]).toBe('filter/tracecheck');
    expect(pipelines['traces/tracecheck']!.exporters).toEqual(['otlphttp/tracecheck']);
    const filter = c.processors['filter/tracecheck']!;
    expect(filter.error_mode).toBe('ignore');
    expect(filter.traces?.span).toEqual(['attributes["test.run.id"] == nil and resource.attributes["test.run.id"] == nil']);
  });

  it('tempo-server.yaml: test.run.id as a dedicated string column at span and resource scope (Tempo keys)', () => {
    const t = load('tempo-server.yaml') as Record<string, unknown>;
    // tempo cmd/tempo/app/config.go `storage`, modules/storage/config.go `trace`, tempodb/config.go `block`,
    // tempodb/encoding/common/config.go `parquet_dedicated_columns`, tempodb/backend/block_meta.go DedicatedColumn{name, type, scope, options};
    // modules/frontend/config.go `search` (SearchSharderConfig: `max_result_limit`), `query_end_cutoff`.
    const shape: Shape = {
      storage: { trace: { block: { parquet_dedicated_columns: 'value' } } },
      query_frontend: { search: { max_result_limit: 'value', default_result_limit: 'value' }, query_end_cutoff: 'value' },
    };
    expect(unknownKeys(t, shape, 'tempo')).toEqual([]);
    const columns = (t.storage as { trace: { block: { parquet_dedicated_columns: Record<string, unknown>[] } } }).trace.block.parquet_dedicated_columns;
    for (const col of columns) expect(Object.keys(col).every((k) => ['name', 'type', 'scope', 'options'].includes(k))).toBe(true);
    expect(columns.map((c) => [c.name, c.type, c.scope])).toEqual([
      ['test.run.id', 'string', 'span'],
      ['test.run.id', 'string', 'resource'],
    ]);
    // The simulator mirrors the same default: 3.x refuses a limit above 262,144.
    expect((t.query_frontend as { search: { max_result_limit: number } }).search.max_result_limit).toBe(new TempoSim().behaviour.maxResultLimit);
  });

  it('file-export.yaml: OTLP JSON lines, one uncompressed, unrotated file (what `tracecheck check --file` reads)', () => {
    const f = load('file-export.yaml') as { exporters: Record<string, Record<string, unknown>> };
    expect(f.exporters['file/tracecheck']).toEqual({ path: '${env:TRACECHECK_SPANS_FILE}', format: 'json' });
  });

  it('the README gives a version for every key the files use and says they were not executed', () => {
    const readme = readFileSync(dir + 'README.md', 'utf8');
    expect(readme).toMatch(/\*\*Not executed here\.\*\*/);
    for (const key of ['receivers.otlp.protocols.grpc', 'processors.batch.timeout', 'processors.filter.traces.span', 'processors.filter.error_mode', 'exporters.otlphttp.endpoint', 'exporters.otlphttp.retry_on_failure.enabled', 'exporters.otlp.endpoint', 'exporters.otlp.tls.insecure', 'storage.trace.block.parquet_dedicated_columns', 'query_frontend.search.max_result_limit', 'query_frontend.query_end_cutoff', 'exporters.file.path', 'exporters.file.format', '${env:NAME}']) {
      expect(readme, key).toContain(`\`${key}`);
    }
    for (const pkg of ['@opentelemetry/baggage-span-processor', 'opentelemetry-baggage-processor', 'opentelemetry-processor-baggage', 'go.opentelemetry.io/contrib/processors/baggagecopy', 'OpenTelemetry.Extensions']) expect(readme).toContain(pkg);
  });
});
