/**
 * What travels through Vitest's provide/inject: the plugin's options to the global setup
 * (`tracecheckConfig`, set in the config's `provide`), and the receiver the global setup runs to
 * every worker (`tracecheck`).
 */
import type { ProvidedRun, ResolvedOptions } from './options.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The receiver, check defaults and log endpoint of this test run (set by @tracecheck/vitest's global setup). */
    tracecheck?: ProvidedRun;
    /** @tracecheck/vitest's options, from its plugin to its global setup. */
    tracecheckConfig?: ResolvedOptions;
  }
}

export const PROVIDED_RUN = 'tracecheck';
export const PROVIDED_CONFIG = 'tracecheckConfig';
