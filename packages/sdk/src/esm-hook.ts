import * as nodeModule from 'node:module';

/** The loader hook OpenTelemetry documents for ES modules (import-in-the-middle behind it). */
export const ESM_HOOK = '@opentelemetry/instrumentation/hook.mjs';

/** What registering the ESM loader hook came to: registered, or why not. */
export type EsmHookResult = { registered: true } | { registered: false; reason: string };

/**
 * Registers OpenTelemetry's ESM loader hook with `module.register()`, so instrumentations can patch
 * npm packages that ES modules import (a package imported by an ES module never passes through
 * `require`, where instrumentations otherwise hook in). It only affects modules loaded after it,
 * which is why the register entry calls it before the application's modules load.
 *
 * Never throws: on a Node without `module.register()` (before 20.6) or without
 * `@opentelemetry/instrumentation` next to the SDK, it returns why, and tracing goes on without it.
 */
export function registerEsmHook(): EsmHookResult {
  // Looked up at run time: the typings of older Nodes lack register(), and so may the Node itself.
  const register = (nodeModule as { register?: (specifier: string, parentURL: string) => void }).register;
  if (typeof register !== 'function') {
    return { registered: false, reason: `module.register() is not available in Node ${process.versions.node} (20.6+ has it)` };
  }
  try {
    // Resolved from the SDK's own location: the peer @opentelemetry/instrumentation there is the
    // copy the instrumentations share, and only that copy's import-in-the-middle sees their hooks.
    register(ESM_HOOK, import.meta.url);
    return { registered: true };
  } catch (error) {
    return { registered: false, reason: `${ESM_HOOK} could not be registered: ${(error as Error).message}` };
  }
}
