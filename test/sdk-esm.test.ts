import { type Receiver, startReceiver } from '@tracecheck/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';
import { waitForSpans } from './support/receiver-api.js';
import { expectExpressRequest, getOrder } from './support/sdk-esm.js';
import { killAll, type ServiceProcess, startService } from './support/sdk-services.js';

// ES modules from npm under `node --import @tracecheck/sdk/register`: an ES module app imports
// express, which an ES module import never loads through `require`, so the express instrumentation
// that TRACECHECK_INSTRUMENTATIONS names can patch it only through the ESM loader hook.

const EXPRESS = { TRACECHECK_INSTRUMENTATIONS: '@opentelemetry/instrumentation-express' };

describe('@tracecheck/sdk with an ES module app on express', () => {
  let receiver: Receiver;
  const apps: ServiceProcess[] = [];

  beforeAll(async () => {
    buildWorkspace();
    receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
  }, 120_000);

  afterAll(async () => {
    killAll(apps);
    await receiver?.stop();
  });

  async function start(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    const app = await startService('express-app.mjs', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_SERVICE_NAME: 'express-app', ...env });
    apps.push(app);
    return app;
  }

  it('turns the route handler into a span of the request, tagged with the run id', async () => {
    const app = await start(EXPRESS);
    await getOrder(app, 'run-esm');
    const spans = await waitForSpans(receiver.httpUrl, 'run-esm', 3);

    expectExpressRequest(spans, 'run-esm', app);
  });

  it('without TRACECHECK_INSTRUMENTATIONS, traces the same request with the http span alone', async () => {
    const app = await start({});
    await getOrder(app, 'run-plain');
    const spans = await waitForSpans(receiver.httpUrl, 'run-plain', 1);
    await new Promise((r) => setTimeout(r, 300)); // nothing else arrives late
    expect((await waitForSpans(receiver.httpUrl, 'run-plain', 1)).map((s) => s.name)).toEqual(spans.map((s) => s.name));
    expect(spans.map((s) => s.name)).toEqual(['GET']);
  });

  it('starts the app untraced, with one line on stderr, when a named instrumentation is not installed', async () => {
    const app = await start({ TRACECHECK_INSTRUMENTATIONS: '@opentelemetry/instrumentation-nope' });
    await getOrder(app, 'run-missing');
    expect(app.output().stderr).toMatch(/^@tracecheck\/sdk: tracing not started: TRACECHECK_INSTRUMENTATIONS: "@opentelemetry\/instrumentation-nope" is not a package installed for .*\n$/);
  });
});
