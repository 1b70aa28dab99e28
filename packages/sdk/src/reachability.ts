import { connect } from 'node:net';

/** Where a TCP probe connects: the host and port of the receiver's endpoint. */
export interface ProbeTarget {
  host: string;
  port: number;
}

/** The probe target of an http(s) URL (`http://localhost:4318/v1/traces` -> localhost:4318), if any. */
export function probeTargetOf(url: string): ProbeTarget | undefined {
  try {
    const u = new URL(url);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : NaN;
    if (!Number.isInteger(port)) return undefined;
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}

/**
 * Whether something accepts TCP connections at `target`, within `timeoutMs`. The socket is unref'd,
 * so a probe never keeps the process alive; it is closed as soon as the answer is known.
 *
 * Why probe: the OTLP exporters retry a refused connection for up to their timeout (10 s by default),
 * holding the process open; probing first lets a service with no receiver running behave as if it
 * had no tracing at all.
 */
export function probe(target: ProbeTarget, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port, autoSelectFamily: true });
    socket.unref();
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
