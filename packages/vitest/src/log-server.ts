/**
 * The services run in the global setup's process; tests run in workers. A failing test asks this
 * endpoint for what the services logged while it ran:
 *
 *   GET /logs?since=<ms since the epoch>&bytes=<most per service>
 *   Authorization: Bearer <token>            (a random token the workers get with the URL)
 *   -> 200 {"services": [{"name", "command", "text", "cut", "exit"?}]}
 *
 * It listens on 127.0.0.1 on a free port for the length of the test run.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningService } from './services.js';

/** One service's output since a test started, as the endpoint answers it. */
export interface ServiceLog {
  name: string;
  command: string;
  /** The end of what it logged since then. */
  text: string;
  /** Earlier output of that window is not in `text` (the per-service bound, or the ring buffer's). */
  cut: boolean;
  /** How it ended, when it has (`exited with code 1`). */
  exit?: string;
}

export interface LogServer {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startLogServer(services: readonly RunningService[], maxBytes: number): Promise<LogServer> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/logs') {
      res.writeHead(404).end();
      return;
    }
    const since = Number(url.searchParams.get('since') ?? 0) || 0;
    const bytes = Math.min(Math.max(Number(url.searchParams.get('bytes') ?? maxBytes) || maxBytes, 1), 1024 * 1024);
    const body: { services: ServiceLog[] } = {
      services: services.map((s) => {
        const { text, cut } = s.logs.tail(since, bytes);
        const exit = s.exit();
        return { name: s.name, command: s.command, text, cut, ...(exit === undefined ? {} : { exit }) };
      }),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Asks the global setup for the services' logs since `since`; undefined when it cannot be reached. */
export async function fetchServiceLogs(endpoint: { url: string; token: string }, since: number, bytes: number): Promise<ServiceLog[] | undefined> {
  try {
    const res = await fetch(`${endpoint.url}/logs?since=${since}&bytes=${bytes}`, { headers: { authorization: `Bearer ${endpoint.token}` }, signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    return ((await res.json()) as { services: ServiceLog[] }).services;
  } catch {
    return undefined;
  }
}

/** The logs as a section of a failure message; empty when no service logged anything. */
export function renderServiceLogs(logs: readonly ServiceLog[] | undefined, bytes: number): string {
  if (logs === undefined || logs.length === 0) return '';
  const parts: string[] = [];
  for (const s of logs) {
    const text = s.text.trimEnd();
    const head = `  ${s.name}${s.name === s.command ? '' : ` (${s.command})`}${s.exit === undefined ? '' : `, ${s.exit}`}`;
    if (text === '') parts.push(`${head}: nothing`);
    else parts.push(`${head}${s.cut ? `, its last ${formatBytes(bytes)}` : ''}:`, ...text.split('\n').map((l) => `    ${l}`));
  }
  return `Service logs since the test started:\n${parts.join('\n')}`;
}

function formatBytes(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
