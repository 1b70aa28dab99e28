import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenSpans } from '@tracecheck/model';
import { bearerTokenMatches } from './auth.js';
import { HttpError } from './http-error.js';
import { type ExportContext, handleHttpExport, otlpFormat, sendOtlpError } from './otlp-http.js';
import { type CheckAmendment, type CheckRecord, handleAmend, handleCheck } from './check-api.js';
import { handleDiscard } from './otlp-discard.js';
import { getRunSpans, health, listRuns, stats } from './query-api.js';
import type { RunLifecycle } from './run-end.js';
import { handleClose, handleDelete, handleOpenSpans, handleSnapshotRecord, type SnapshotRecord } from './run-api.js';
import { sendJsonError } from './respond.js';

/** What every HTTP handler may use. */
export interface HttpContext extends ExportContext {
  readonly openSpans: OpenSpans;
  readonly lifecycle: RunLifecycle;
  readonly token: string | undefined;
  readonly onCheck?: ((record: CheckRecord) => void) | undefined;
  readonly onSnapshot?: ((record: SnapshotRecord) => void) | undefined;
  readonly onCheckAmend?: ((amendment: CheckAmendment) => void) | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: HttpContext, params: string[]) => void | Promise<void>;

interface Route {
  /** Path segments; ':' matches one non-empty, URL-decoded segment passed to the handler. */
  readonly path: readonly string[];
  readonly methods: Readonly<Record<string, Handler>>;
}

const OTLP_TRACES_PATH = '/v1/traces';

const routes: readonly Route[] = [
  { path: ['v1', 'traces'], methods: { POST: (req, res, ctx) => handleHttpExport(req, res, ctx) } },
  { path: ['v1', 'metrics'], methods: { POST: (req, res, ctx) => handleDiscard(req, res, ctx) } },
  { path: ['v1', 'logs'], methods: { POST: (req, res, ctx) => handleDiscard(req, res, ctx) } },
  { path: ['healthz'], methods: { GET: (req, res) => health(req, res) } },
  { path: ['api', 'stats'], methods: { GET: (req, res, ctx) => stats(req, res, ctx) } },
  { path: ['api', 'runs'], methods: { GET: (req, res, ctx) => listRuns(req, res, ctx.store) } },
  { path: ['api', 'runs', ':'], methods: { DELETE: (req, res, ctx, [id]) => handleDelete(req, res, ctx, id!) } },
  { path: ['api', 'runs', ':', 'close'], methods: { POST: (req, res, ctx, [id]) => handleClose(req, res, ctx, id!) } },
  { path: ['api', 'runs', ':', 'snapshot'], methods: { POST: (req, res, ctx, [id]) => handleSnapshotRecord(req, res, ctx, id!) } },
  { path: ['api', 'open-spans'], methods: { POST: (req, res, ctx) => handleOpenSpans(req, res, ctx) } },
  { path: ['api', 'runs', ':', 'spans'], methods: { GET: (req, res, ctx, [id]) => getRunSpans(req, res, ctx.store, id!) } },
  { path: ['api', 'check'], methods: { POST: (req, res, ctx) => handleCheck(req, res, ctx) } },
  { path: ['api', 'checks', ':', 'payload'], methods: { POST: (req, res, ctx, [id]) => handleAmend(req, res, ctx, id!) } },
];

/**
 * Splits the request path into URL-decoded segments; a malformed escape is a 400. The raw target
 * is split as sent (no dot-segment resolution), so a run id is exactly what the client encoded.
 */
function pathSegments(url: string | undefined): { pathname: string; segments: string[] } {
  const pathname = (url ?? '/').split(/[?#]/, 1)[0]!;
  try {
    return { pathname, segments: pathname.split('/').slice(1).map((s) => decodeURIComponent(s)) };
  } catch {
    throw new HttpError(400, 'BAD_PATH', `malformed percent-encoding in path "${pathname}"`);
  }
}

function match(route: Route, segments: readonly string[]): string[] | undefined {
  if (route.path.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const want = route.path[i]!;
    const got = segments[i]!;
    if (want === ':') {
      if (got === '') return undefined;
      params.push(got);
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
}

/**
 * Answers one request. Every endpoint, unknown paths included, requires the token when one is set.
 * Nothing escapes: an unexpected error becomes a 500, so input can never take the process down.
 */
export async function routeRequest(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Promise<void> {
  let isOtlp = false;
  try {
    const { pathname, segments } = pathSegments(req.url);
    isOtlp = pathname === OTLP_TRACES_PATH;
    if (ctx.token !== undefined && !bearerTokenMatches(req.headers.authorization, ctx.token)) {
      throw new HttpError(401, 'UNAUTHENTICATED', 'missing or wrong bearer token (Authorization: Bearer <token>)', {
        'www-authenticate': 'Bearer',
      });
    }
    for (const route of routes) {
      const params = match(route, segments);
      if (params === undefined) continue;
      // HEAD is GET without the body (node:http drops it).
      const handler = route.methods[req.method ?? ''] ?? (req.method === 'HEAD' ? route.methods['GET'] : undefined);
      if (handler === undefined) {
        const allow = Object.keys(route.methods).join(', ');
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${pathname} (allowed: ${allow})`, { allow });
      }
      await handler(req, res, ctx, params);
      return;
    }
    throw new HttpError(404, 'NOT_FOUND', `no endpoint at ${pathname}`);
  } catch (err) {
    if (res.headersSent) {
      // Too late for a status: cut the response so the client sees it incomplete, not truncated-but-OK.
      res.destroy();
      return;
    }
    const status = err instanceof HttpError ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    const headers = err instanceof HttpError ? err.headers : {};
    if (isOtlp && (status === 401 || status === 500)) {
      sendOtlpError(req, res, otlpFormat(req.headers['content-type']), status, message, headers);
    } else {
      sendJsonError(req, res, status, err instanceof HttpError ? err.code : 'INTERNAL', message, headers);
    }
  }
}
