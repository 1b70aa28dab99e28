/**
 * A Grafana Tempo SIMULATOR, for tests only: neither Tempo nor its Collector can be installed where
 * this repository is tested. It is an HTTP server over an in-memory list of written spans that answers
 * the parts of Tempo's HTTP API a TempoSource uses, with Tempo's behaviours that matter to deciding
 * injectable. Each behaviour names the Tempo source file it mirrors (github.com/grafana/tempo, read at
 * 3.0.x and main); none of Tempo's code is copied. What it does not do: TraceQL beyond the query shapes
 * @tracecheck/tempo sends (it answers 400 to any other), blocks, compaction, sharding, metrics queries.
 *
 * Search evaluates the TraceQL it receives with tracecheck's own language package (@tracecheck/lang)
 * on the spans Tempo would let a search see at that moment.
 *
 * This file is the HTTP side; the behaviours and their defaults are in behaviour.ts, the written spans
 * and what a search or trace by id sees of them in store.ts, Tempo's answer bodies in wire.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileAssertion, validateAssertion } from '@tracecheck/lang';
import type { Span } from '@tracecheck/model';
import { decodeJsonRequest, decodeProtobufRequest } from '@tracecheck/otlp';
import { TEMPO_3_DEFAULTS_SCALED, type TempoSimBehaviour } from './behaviour.js';
import { SpanStore } from './store.js';
import { tempoJsonResourceSpans, traceByIdResponseProto, traceProto } from './wire.js';

export { TEMPO_3_DEFAULTS_SCALED, type TempoSimBehaviour } from './behaviour.js';

/** A failure to inject: the next `times` matching requests get this answer instead. */
export interface Fault {
  route: 'search' | 'trace-v2' | 'trace-v1' | 'tags' | 'buildinfo' | 'any';
  status: number;
  body?: string;
  retryAfterSec?: number;
  /** How many requests get it (default: all until `untilMs`). */
  times?: number;
  /** Until when (ms since the epoch) it lasts. */
  untilMs?: number;
  /** Answer trace by id v2 with 200 and an empty trace (as for an id Tempo does not hold) instead of `body`. */
  emptyTrace?: boolean;
  /** Only requests this accepts (e.g. one trace id). */
  when?: (url: URL) => boolean;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
  status?: number;
}

/** The query shapes @tracecheck/tempo sends (packages/tempo/src/queries.ts); anything else is a 400 here. */
const QUERY_SHAPES = [
  /^\{ (span|resource)\.test\.run\.id = "(?:[^"\\]|\\.)*" \}$/,
  /^\{ link:traceID = "[0-9a-f]{32}"(?: \|\| link:traceID = "[0-9a-f]{32}")* \}$/,
];

const SINGLE_TENANT = 'single-tenant';

export class TempoSim {
  readonly behaviour: TempoSimBehaviour;
  readonly requests: LoggedRequest[] = [];
  /** The spans written, and what a search or trace by id sees of them. */
  private readonly written: SpanStore;
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  url = '';

  constructor(behaviour: Partial<TempoSimBehaviour> = {}) {
    this.behaviour = { ...TEMPO_3_DEFAULTS_SCALED, ...behaviour };
    this.written = new SpanStore(this.behaviour);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Writes spans as the distributor would on an OTLP export (now, for `tenant`). */
  write(spans: readonly Span[], tenant = SINGLE_TENANT): void {
    this.written.add(spans, Date.now(), tenant);
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** The TraceQL of every search request, in order. */
  queriesSent(): string[] {
    return this.requests.filter((r) => r.path === '/api/search').map((r) => r.query.get('q') ?? '');
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, at: Date.now() };
    this.requests.push(entry);
    const send = (status: number, body: string | Uint8Array, type = 'text/plain', headers: Record<string, string> = {}): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const json = (body: unknown): void => send(200, JSON.stringify(body), 'application/json');

    // Tempo's distributor receives OTLP/HTTP (modules/distributor/receiver/shim.go).
    if (req.method === 'POST' && url.pathname === '/v1/traces') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const decoded = /json/.test(req.headers['content-type'] ?? '') ? decodeJsonRequest(body) : decodeProtobufRequest(body);
      this.write(decoded.spans, tenantOf(req) ?? SINGLE_TENANT);
      return send(200, new Uint8Array(0), 'application/x-protobuf');
    }

    const route: Fault['route'] =
      url.pathname === '/api/search' ? 'search' : url.pathname.startsWith('/api/v2/traces/') ? 'trace-v2' : url.pathname.startsWith('/api/traces/') ? 'trace-v1' : url.pathname.includes('/search/tag') ? 'tags' : url.pathname === '/api/status/buildinfo' ? 'buildinfo' : 'any';
    const live = (f: Fault): boolean => (f.times === undefined || f.times > 0) && (f.untilMs === undefined || Date.now() < f.untilMs);
    const fault = this.faults.find((f) => live(f) && (f.route === 'any' || f.route === route) && (f.when === undefined || f.when(url)));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      if (fault.emptyTrace) return send(200, traceByIdResponseProto([], false, '', 0), 'application/protobuf');
      return send(fault.status, fault.body ?? `injected ${fault.status}`, 'text/plain', fault.retryAfterSec === undefined ? {} : { 'retry-after': String(fault.retryAfterSec) });
    }

    if (route === 'buildinfo') return json({ version: this.behaviour.version, revision: 'sim', branch: 'sim', buildUser: 'sim', buildDate: 'sim', goVersion: 'sim' });

    const tenant = tenantOf(req);
    if (this.behaviour.requireTenant && tenant === undefined) return send(401, 'no org id');
    const t = tenant ?? SINGLE_TENANT;
    const now = Date.now();
    const accept = req.headers.accept ?? '';

    if (route === 'search') return this.search(url, t, now, send, json);

    if (route === 'trace-v2' || route === 'trace-v1') {
      const raw = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      // pkg/api/http.go `ParseTraceID` → pkg/util/traceid.go `HexStringToTraceID`: hex, at most 16 bytes, left-padded.
      if (!/^[0-9a-fA-F]{1,32}$/.test(raw)) return send(400, `trace IDs can only contain hex characters: ${raw}`);
      const traceId = raw.toLowerCase().padStart(32, '0');
      const all = this.written.traceById(t, traceId, now);
      const max = this.behaviour.maxSpansPerTrace;
      const tooLarge = max !== undefined && all.length > max;
      const wantsJson = !/application\/protobuf/.test(accept);
      if (route === 'trace-v1') {
        if (all.length === 0) return send(404, 'trace not found');
        if (tooLarge) return send(422, `trace exceeds max size (max bytes: ${max})`);
        return wantsJson ? json({ batches: tempoJsonResourceSpans(all) }) : send(200, traceProto(all), 'application/protobuf');
      }
      if (all.length === 0 && this.behaviour.v2NotFound === '404') return send(404, 'trace not found');
      const spans = tooLarge ? all.slice(0, max) : all;
      const message = tooLarge ? `Trace exceeds maximum size of ${max} bytes, a partial trace is returned` : '';
      if (wantsJson) {
        return json({ trace: spans.length === 0 ? {} : { resourceSpans: tempoJsonResourceSpans(spans) }, metrics: { inspectedBytes: '1' }, ...(tooLarge ? { status: 'PARTIAL', message } : {}) });
      }
      return send(200, traceByIdResponseProto(spans, tooLarge, message, 1), 'application/protobuf');
    }

    if (route === 'tags') return this.tags(url, t, now, send, json);
    return send(404, '404 page not found');
  }

  private search(url: URL, tenant: string, now: number, send: (s: number, b: string) => void, json: (b: unknown) => void): void {
    const b = this.behaviour;
    const q = url.searchParams.get('q') ?? '';
    if (!QUERY_SHAPES.some((re) => re.test(q))) return send(400, `the Tempo simulator answers only the query shapes @tracecheck/tempo sends, not: ${q}`);
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? b.defaultResultLimit : Number(limitText);
    if (!Number.isInteger(limit) || limit <= 0) return send(400, 'invalid limit: must be a positive number');
    if (b.maxResultLimit !== 0 && limit > b.maxResultLimit) return send(400, `limit ${limit} exceeds max limit ${b.maxResultLimit}`);
    const spss = Number(url.searchParams.get('spss') ?? '3');
    const [start, end] = this.clampRange(url, now);

    const compiled = compileAssertion(validateAssertion(`some ${q}`).ast);
    const visible = this.written.searchable(tenant, now);
    const byTrace = new Map<string, Span[]>();
    for (const s of visible) {
      const list = byTrace.get(s.traceId);
      if (list) list.push(s);
      else byTrace.set(s.traceId, [s]);
    }
    const traces: unknown[] = [];
    const candidate = prefilter(q);
    for (const [traceId, spans] of byTrace) {
      if (!spans.some(candidate)) continue;
      // The trace overlaps the window: start <= end && end >= start (tempodb/encoding/vparquet4/block_traceql.go `createTraceIterator`).
      const tStart = spans.reduce((m, s) => (s.startTimeUnixNano < m ? s.startTimeUnixNano : m), spans[0]!.startTimeUnixNano);
      const tEnd = spans.reduce((m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m), spans[0]!.endTimeUnixNano);
      if (tStart > BigInt(end) * 1_000_000_000n || tEnd < BigInt(start) * 1_000_000_000n) continue;
      const matched = compiled.evaluate(spans).matches;
      if (matched.length === 0) continue;
      const root = spans.find((s) => s.parentSpanId === '');
      const spanSet = {
        spans: matched.slice(0, spss).map((s) => ({ spanID: s.spanId, startTimeUnixNano: s.startTimeUnixNano.toString(), durationNanos: (s.endTimeUnixNano - s.startTimeUnixNano).toString() })),
        matched: matched.length,
      };
      traces.push({
        traceID: b.leftPadTraceIds ? traceId : traceId.replace(/^0+/, ''),
        // modules/frontend/combiner/search.go `addRootSpanNotReceivedText`
        rootServiceName: root === undefined ? '<root span not yet received>' : serviceName(root),
        ...(root === undefined ? {} : { rootTraceName: root.name }),
        startTimeUnixNano: tStart.toString(),
        durationMs: Number((tEnd - tStart) / 1_000_000n),
        spanSet,
        spanSets: [spanSet],
      });
      if (traces.length >= limit) break;
    }
    json({ traces, metrics: { inspectedTraces: byTrace.size, inspectedBytes: '1', totalBlocks: 1, completedJobs: 1, totalJobs: 1 } });
  }

  /** pkg/api/http.go `ClampDateRangeReq` with the frontend's end buffer (`query_end_cutoff`), in seconds. */
  private clampRange(url: URL, now: number): [number, number] {
    const startText = url.searchParams.get('start');
    const endText = url.searchParams.get('end');
    const maxEnd = Math.floor((now - this.behaviour.queryEndCutoffMs) / 1000);
    const defStart = Math.floor((now - 15 * 60_000) / 1000);
    if (startText === null || endText === null) return [defStart, maxEnd];
    let start = Number(startText);
    let end = Number(endText);
    if (end > maxEnd) {
      end = maxEnd;
      if (start > end) start = defStart;
    }
    return [start, end];
  }

  private tags(url: URL, tenant: string, now: number, send: (s: number, b: string) => void, json: (b: unknown) => void): void {
    const visible = this.written.searchable(tenant, now - this.behaviour.queryEndCutoffMs);
    const spanKeys = new Set<string>();
    const resourceKeys = new Set<string>();
    for (const s of visible) {
      for (const k of s.attributes.keys()) spanKeys.add(k);
      for (const k of s.resource.attributes.keys()) resourceKeys.add(k);
    }
    if (url.pathname === '/api/search/tags') return json({ tagNames: [...new Set([...spanKeys, ...resourceKeys])].sort() });
    if (url.pathname === '/api/v2/search/tags') {
      return json({ scopes: [{ name: 'span', tags: [...spanKeys].sort() }, { name: 'resource', tags: [...resourceKeys].sort() }, { name: 'intrinsic', tags: ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'] }] });
    }
    const m = /^\/api(\/v2)?\/search\/tag\/([^/]+)\/values$/.exec(url.pathname);
    if (!m) return send(404, '404 page not found');
    const tag = decodeURIComponent(m[2]!);
    const values = new Set<string>();
    for (const s of visible) {
      if (tag === 'name') values.add(s.name);
      else {
        const key = tag.replace(/^(span|resource)\./, '');
        const v = tag.startsWith('resource.') ? s.resource.attributes.get(key) : tag.startsWith('span.') ? s.attributes.get(key) : (s.attributes.get(key) ?? s.resource.attributes.get(key));
        if (v?.type === 'string') values.add(v.value);
      }
    }
    const sorted = [...values].sort();
    return json(m[1] ? { tagValues: sorted.map((value) => ({ type: 'string', value })) } : { tagValues: sorted });
  }
}

/**
 * A cheap test a trace must pass before the language evaluates the query on it (the simulator's
 * stand-in for Tempo's column predicates): some span carries the run id, or links to one of the ids.
 */
function prefilter(q: string): (s: Span) => boolean {
  const ids = new Set([...q.matchAll(/link:traceID = "([0-9a-f]{32})"/g)].map((m) => m[1]!));
  if (ids.size > 0) return (s) => s.links.some((l) => ids.has(l.traceId));
  const m = /^\{ (span|resource)\.test\.run\.id = "((?:[^"\\]|\\.)*)" \}$/.exec(q);
  const value = m ? (JSON.parse(`"${m[2]}"`) as string) : undefined;
  const scope = m?.[1];
  return (s) => {
    const v = (scope === 'resource' ? s.resource.attributes : s.attributes).get('test.run.id');
    return v?.type === 'string' && v.value === value;
  };
}

function serviceName(span: Span): string {
  const v = span.resource.attributes.get('service.name');
  return v?.type === 'string' ? v.value : '';
}

function tenantOf(req: IncomingMessage): string | undefined {
  const v = req.headers['x-scope-orgid'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
