import type { DecodeBudget, DecodeLimits } from './limits.js';

/** How a request is decoded: its limits (each defaults to DEFAULT_DECODE_LIMITS) and memory budget. */
export interface DecodeOptions {
  readonly limits?: Partial<DecodeLimits>;
  readonly budget?: DecodeBudget;
}

/** A sliced decode: at most about `sliceMs` of work between pauses. */
export interface SlicedDecodeOptions extends DecodeOptions {
  /** Work between pauses, in ms (default 10). */
  readonly sliceMs?: number;
  /** What a pause waits for (default: setImmediate, so I/O and timers run). */
  readonly pause?: () => Promise<void>;
  /** Steps between readings of the clock (default 8). */
  readonly checkEvery?: number;
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `step` until it returns true, pausing whenever `sliceMs` has passed since the last pause.
 * The clock is read every `checkEvery` steps (a step is one span, or a few hundred JSON tokens).
 */
export async function runSliced(step: () => boolean, options: SlicedDecodeOptions): Promise<void> {
  const sliceMs = options.sliceMs ?? 10;
  const pause = options.pause ?? immediate;
  const every = options.checkEvery ?? 8;
  let sliceEnd = performance.now() + sliceMs;
  for (let n = 1; ; n++) {
    if (step()) return;
    if (n % every === 0 && performance.now() >= sliceEnd) {
      await pause();
      sliceEnd = performance.now() + sliceMs;
    }
  }
}
