import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { stageV3Project, startV3Process, type V3Project } from './support/otel-v3.js';
import { waitForSpans } from './support/receiver-api.js';
import { attr, killAll, type ServiceProcess } from './support/sdk-services.js';

// sdk-shutdown.test.ts on Node 24 and the OpenTelemetry JS 3.x line: spans ended right before
// SIGTERM still reach the receiver, and the process ends the way it would have without the SDK.

const BURST = 2000;

describe('@tracecheck/sdk on SIGTERM, Node 24 and OpenTelemetry JS 3.x', () => {
  let receiver: Receiver;
  let project: V3Project;
  let app: ServiceProcess | undefined;

  beforeAll(async () => {
    buildWorkspace();
    project = stageV3Project();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);
  afterEach(() => killAll([app]));
  afterAll(async () => {
    await receiver?.stop();
    project?.remove();
  });

  async function burstThenSigterm(runId: string, env: NodeJS.ProcessEnv) {
    app = await startV3Process(project.dir, 'signal-app.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'signal-app', RUN_ID: runId, BURST: String(BURST), ...env }, { stdin: true });
    app.child.stdin!.write('go\n');
    return app.exited;
  }

  it('without an app handler: flushes, then dies by SIGTERM as it would have', async () => {
    const ended = await burstThenSigterm('v3-sigterm-default', {});
    expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
    const spans = await waitForSpans(receiver.httpUrl, 'v3-sigterm-default', BURST, 2000);
    expect(spans.length).toBe(BURST);
    expect(attr(spans[0]!.resource.attributes, 'process.runtime.version')).toMatch(/^24\./);
    expect(attr(spans[0]!.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
  });

  it('with an app handler that exits: the handler still decides, and the spans arrive', async () => {
    const ended = await burstThenSigterm('v3-sigterm-app', { APP_HANDLER: 'exit' });
    expect(ended).toEqual({ code: 0, signal: null });
    const spans = await waitForSpans(receiver.httpUrl, 'v3-sigterm-app', BURST, 2000);
    expect(spans.length).toBe(BURST);
    expect(attr(spans[0]!.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
  });
});
