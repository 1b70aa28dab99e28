import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { startService } from './support/sdk-services.js';

// Zero effect on behaviour when no receiver runs: the app's output and exit are unchanged, and it
// does not linger in the OTLP exporter's retry loop (which retries a refused connection for 10 s).

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('@tracecheck/sdk with no receiver', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('runs the script as without tracing, and it exits as soon as it is done', async () => {
    const started = Date.now();
    const app = await startService('plain-script.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    const ended = await app.exited;
    expect(ended).toEqual({ code: 0, signal: null });
    expect(app.output().stdout).toContain('pong 42');
    expect(app.output().stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
