/**
 * `tracecheck(options)`: the Vitest plugin. Its `config` hook adds the global setup (receiver and
 * services for the test run) and the setup file (`toHold`), hands the options to the global setup
 * through the config's `provide`, and raises the test timeout so a failing check can wait for its
 * effects and still show its evidence: unless the config sets `testTimeout`, it becomes the check
 * timeout plus 5 s.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin, ViteUserConfig } from 'vitest/config';
import { resolveOptions, type TracecheckOptions } from './options.js';
import './provided.js';

export type { Duration, ServiceLogOptions, ServiceOptions, TracecheckOptions } from './options.js';

/** Added to the check timeout for the test timeout the plugin sets: requests, rendering, the test's own steps. */
export const TEST_TIMEOUT_MARGIN_MS = 5_000;

/** Files of this package beside this module (`.ts` when the sources run, `.js` when built). */
function sibling(name: string): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
}

/** The global setup's path, for configs that list it by hand (`test.globalSetup`). */
export const globalSetupPath = sibling('global-setup');
/** The setup file's path, for configs that list it by hand (`test.setupFiles`). */
export const setupPath = sibling('setup');

export function tracecheck(options: TracecheckOptions = {}): Plugin {
  const resolved = resolveOptions(options);
  return {
    name: 'tracecheck',
    config(config: ViteUserConfig) {
      const test = (config as { test?: { testTimeout?: number } }).test;
      const testTimeout = test?.testTimeout ?? resolved.defaults.timeoutMs + TEST_TIMEOUT_MARGIN_MS;
      return {
        test: {
          globalSetup: [globalSetupPath],
          setupFiles: [setupPath],
          provide: { tracecheckConfig: { ...resolved, testTimeout } },
          ...(test?.testTimeout === undefined ? { testTimeout } : {}),
        },
      } as ViteUserConfig;
    },
  };
}

export default tracecheck;
