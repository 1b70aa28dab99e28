import { isIPv6 } from 'node:net';

/**
 * The host part of a URL or gRPC target for a bound address: IPv6 literals in brackets, and the
 * wildcard addresses replaced by loopback, since a URL pointing at 0.0.0.0 is not one a client
 * can reliably connect to.
 */
export function connectableHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return isIPv6(address) ? `[${address}]` : address;
}

/** `host:port` for binding or dialing, with IPv6 literals in brackets. */
export function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}
