import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpContext, routeRequest } from './http-router.js';

/** Starts the HTTP server (OTLP/HTTP, query API, health) on host:port; port 0 picks a free one. */
export function startHttpServer(host: string, port: number, ctx: HttpContext): Promise<{ server: Server; address: AddressInfo }> {
  const server = createServer((req, res) => {
    // routeRequest answers every error itself; this catch is for a failure while answering one.
    routeRequest(req, res, ctx).catch(() => res.destroy());
  });
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve({ server, address: server.address() as AddressInfo });
    });
  });
}

/**
 * Stops the HTTP server: no new connections, idle keep-alive connections closed now, requests in
 * flight given `graceMs` to finish before their connections are cut. Resolves once the port is free.
 */
export function stopHttpServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
