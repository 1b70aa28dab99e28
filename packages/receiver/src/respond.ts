import type { IncomingMessage, ServerResponse } from 'node:http';

/** True when the request says it has a body (a length over 0, or chunked). */
function declaresBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/**
 * Writes a complete response. When a request body was not read to the end (refused early: 401,
 * 413, 415...), the connection is closed after the response, so the rest of an oversized upload
 * is never read; the client still sees the status first. A request without a body (GET, DELETE)
 * keeps its connection: node:http marks it complete only once read, so it is drained here, and
 * pipelined requests behind it on the connection are answered in turn.
 */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string | undefined,
  body: string | Uint8Array | undefined,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const all: Record<string, string | number> = { ...headers };
  if (contentType !== undefined) all['content-type'] = contentType;
  if (body !== undefined) all['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (!req.complete) {
    if (declaresBody(req)) all['connection'] = 'close';
    else req.resume();
  }
  res.writeHead(status, all);
  res.end(body);
}

/** A JSON response (query API, health, non-OTLP errors). */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(req, res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

/** The error body of every non-OTLP endpoint: `{error: {code, message}}`, as the receiver's API uses. */
export function sendJsonError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(req, res, status, { error: { code, message } }, headers);
}

/**
 * Starts a response whose body is written in parts (`res.write`), chunked: for bodies too large to
 * build as one string at once. The same connection rule as `send`.
 */
export function startStream(req: IncomingMessage, res: ServerResponse, status: number, contentType: string): void {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!req.complete) {
    if (declaresBody(req)) headers['connection'] = 'close';
    else req.resume();
  }
  res.writeHead(status, headers);
}
