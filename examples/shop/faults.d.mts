/** One incident the shop reproduces with SHOP_FAULT=<name>. */
export interface Fault {
  /** The value of SHOP_FAULT. */
  name: string;
  /** The workflow it breaks. */
  workflow: string;
  /** The service whose code takes the broken path. */
  service: 'web' | 'api' | 'worker';
  /** What goes wrong, as the incident report would say. */
  incident: string;
  /** Which test runner runs the workflow's tests. */
  runner: 'vitest' | 'playwright';
  /** The ordinary UI- or HTTP-level test of the workflow (it checks what the user sees; it still passes). */
  ordinary: string;
  /** The workflow's tracecheck tests (each must fail under the fault). */
  tracecheck: string[];
  /** The effect a failing tracecheck test must name. */
  effect: string;
}

export const FAULTS: readonly Fault[];
export function currentFault(env?: NodeJS.ProcessEnv): string;
