import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { stageV3Project, startV3Process, type V3Project } from './support/otel-v3.js';
import { waitForSpans } from './support/receiver-api.js';
import { expectExpressRequest, expressSpans, getOrder } from './support/sdk-esm.js';
import { attr, killAll, type ServiceProcess } from './support/sdk-services.js';

// The ES module express app of sdk-esm.test.ts run by Node 24 against the OpenTelemetry JS 3.x line
// (instrumentation-express 0.72 on @opentelemetry/instrumentation 0.300, whose hook.mjs the register
// hook registers), in a project laid out as a user's install of @tracecheck/sdk with those peers.
// express reaches the app through `import` only, so its spans prove the 3.x ESM loader hook works.

const EXPRESS = { TRACECHECK_INSTRUMENTATIONS: '@opentelemetry/instrumentation-express' };

describe('@tracecheck/sdk with an ES module app on express, on Node 24 and OpenTelemetry JS 3.x', () => {
  let receiver: Receiver;
  let project: V3Project;
  const apps: ServiceProcess[] = [];

  beforeAll(async () => {
    buildWorkspace();
    project = stageV3Project();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);

  afterAll(async () => {
    killAll(apps);
    await receiver?.stop();
    project?.remove();
  });

  async function start(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    const app = await startV3Process(project.dir, 'express-app.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'express-app', ...env });
    apps.push(app);
    return app;
  }

  it('turns the route handler into spans of the 3.x express instrumentation under the one http span, tagged with the run id', async () => {
    const app = await start(EXPRESS);
    await getOrder(app, 'run-esm-v3');
    const spans = await waitForSpans(receiver.httpUrl, 'run-esm-v3', 3);

    const server = expectExpressRequest(spans, 'run-esm-v3', app);

    // Produced on Node 24 by the 3.x SDK and the 3.x instrumentations, not by a 2.x copy.
    for (const span of spans) {
      expect(attr(span.resource.attributes, 'process.runtime.version')).toMatch(/^24\./);
      expect(attr(span.resource.attributes, 'telemetry.sdk.version')).toMatch(/^3\./);
    }
    expect(new Set(expressSpans(spans).map((s) => `${s.scope.name}@${s.scope.version}`))).toEqual(new Set(['@opentelemetry/instrumentation-express@0.72.0']));
    expect(`${server.scope.name}@${server.scope.version}`).toBe('@opentelemetry/instrumentation-http@0.301.0');
  });

  it('without TRACECHECK_INSTRUMENTATIONS, traces the same request with the http span alone', async () => {
    const app = await start({});
    await getOrder(app, 'run-plain-v3');
    const spans = await waitForSpans(receiver.httpUrl, 'run-plain-v3', 1);
    await new Promise((r) => setTimeout(r, 300)); // nothing else arrives late
    expect((await waitForSpans(receiver.httpUrl, 'run-plain-v3', 1)).map((s) => s.name)).toEqual(spans.map((s) => s.name));
    expect(spans.map((s) => s.name)).toEqual(['GET']);
    expect(app.output().stderr).toBe('');
  });
});
