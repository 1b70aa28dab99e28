// `node --import @tracecheck/sdk/register app.js`: starts tracing from the environment before the
// application's modules load, so their HTTP clients and servers are instrumented from the first request.
import { startTracing } from './start-tracing.js';

try {
  startTracing();
} catch (error) {
  // A bad setting must not stop the service; say what is wrong once, where CI logs show it.
  process.stderr.write(`@tracecheck/sdk: tracing not started: ${(error as Error).message}\n`);
}
