import { execFileSync } from 'node:child_process';

/** Where the last-resort export on exit goes: an OTLP/HTTP traces URL with the exporter's headers. */
export interface RescueTarget {
  url: string;
  headers: Record<string, string>;
  /** Longest the exiting process waits for it, in ms. */
  timeoutMs: number;
}

/** The headers of OTEL_EXPORTER_OTLP_TRACES_HEADERS / OTEL_EXPORTER_OTLP_HEADERS (`k=v,k2=v2`, URL-encoded). */
export function otlpHeadersFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const raw = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? '';
  const headers: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      headers[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A malformed pair is skipped, as the exporters skip it.
    }
  }
  return headers;
}

// Run by a child node: POST stdin to TRACECHECK_RESCUE_URL; exit 0 on a 2xx answer.
const script = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  try {
    const res = await fetch(process.env.TRACECHECK_RESCUE_URL, { method: 'POST', headers: JSON.parse(process.env.TRACECHECK_RESCUE_HEADERS), body: Buffer.concat(chunks) });
    process.exit(res.ok ? 0 : 1);
  } catch {
    process.exit(2);
  }
});`;

/**
 * Sends an OTLP/JSON body synchronously, for the `exit` event, where no asynchronous work can run
 * any more: a short-lived child node process does the request while this one waits (a few tens of
 * milliseconds, at most `timeoutMs`). Returns whether the receiver accepted it; never throws.
 */
export function sendSync(target: RescueTarget, body: string): boolean {
  const env: NodeJS.ProcessEnv = { ...process.env, TRACECHECK_RESCUE_URL: target.url, TRACECHECK_RESCUE_HEADERS: JSON.stringify({ ...target.headers, 'content-type': 'application/json' }) };
  // The child must not load this SDK (or anything else) through NODE_OPTIONS.
  delete env.NODE_OPTIONS;
  try {
    execFileSync(process.execPath, ['-e', script], { input: body, env, timeout: target.timeoutMs, stdio: ['pipe', 'ignore', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}
