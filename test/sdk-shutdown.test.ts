import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { waitForSpans } from './support/receiver-api.js';
import { killAll, type ServiceProcess, startService } from './support/sdk-services.js';

// Spans ended right before SIGTERM still reach the receiver, and the process ends the way it would
// have without the SDK.

const BURST = 2000;

describe('@tracecheck/sdk on SIGTERM', () => {
  let receiver: Receiver;
  let app: ServiceProcess | undefined;

  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);
  afterEach(() => killAll([app]));
  afterAll(async () => receiver?.stop());

  async function burstThenSigterm(runId: string, env: NodeJS.ProcessEnv) {
    app = await startService('signal-app.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'signal-app', RUN_ID: runId, BURST: String(BURST), ...env }, { stdin: true });
    app.child.stdin!.write('go\n');
    return app.exited;
  }

  it('without an app handler: flushes, then dies by SIGTERM as it would have', async () => {
    const ended = await burstThenSigterm('sigterm-default', {});
    expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect((await waitForSpans(receiver.httpUrl, 'sigterm-default', BURST, 2000)).length).toBe(BURST);
  });

  it('with an app handler that exits: the handler still decides, and the spans arrive', async () => {
    const ended = await burstThenSigterm('sigterm-app', { APP_HANDLER: 'exit' });
    expect(ended).toEqual({ code: 0, signal: null });
    expect((await waitForSpans(receiver.httpUrl, 'sigterm-app', BURST, 2000)).length).toBe(BURST);
  });
});
