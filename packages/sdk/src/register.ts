// `node --import @tracecheck/sdk/register app.js`: starts tracing from the environment before the
// application's modules load, so their HTTP clients and servers are instrumented from the first request.
import { diag } from '@opentelemetry/api';
import { instrumentationSpecs } from './env-instrumentations.js';
import { type EsmHookResult, registerEsmHook } from './esm-hook.js';
import { startTracing } from './start-tracing.js';

try {
  // The loader hook is only needed for npm packages' instrumentations (the builtins are patched
  // without it), and it intercepts every ES module loaded after it: register it only when
  // TRACECHECK_INSTRUMENTATIONS asks for some, and before startTracing() enables them.
  const wanted = instrumentationSpecs().length > 0 && !/^true$/i.test(process.env.OTEL_SDK_DISABLED?.trim() ?? '');
  const hook: EsmHookResult | undefined = wanted ? registerEsmHook() : undefined;
  startTracing();
  // After startTracing(): NodeSDK installs the diagnostic logger (OTEL_LOG_LEVEL) when it starts.
  if (hook && !hook.registered) diag.warn(`tracecheck: ES modules will not be instrumented, only CommonJS ones: ${hook.reason}`);
} catch (error) {
  // A bad setting must not stop the service; say what is wrong once, where CI logs show it.
  process.stderr.write(`@tracecheck/sdk: tracing not started: ${(error as Error).message}\n`);
}
