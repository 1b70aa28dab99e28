/**
 * Evaluation in steps, so a check over a large run never holds the event loop in one piece: the
 * evaluator's run-wide loops are generators that yield between traces (or every few thousand
 * spans) once enough work has piled up since the last yield. `runSteps` runs them to the end at
 * once (files, tests, sync callers); `runSliced` runs them for at most a slice of time, then
 * continues on a later turn of the event loop, so ingest and `/healthz` get their turns.
 *
 * One trace's selection is computed in one piece: a pause comes between traces, and inside the loops
 * over all of a run's spans. A trace is small next to a run (its structure is computed per trace).
 */
export type Steps<T> = Generator<void, T, undefined>;

/** Work (spans visited, roughly) between two yields: small enough for slices of a few ms, large enough that yielding costs nothing. */
const WORK_PER_YIELD = 2048;

let work = 0;

/**
 * Counts `n` units of work and says whether to yield now: `if (worked(n)) yield;`. The counter is
 * shared by every evaluation in the process; it only spaces yields out, so sharing it is harmless.
 */
export function worked(n: number): boolean {
  work += n;
  if (work < WORK_PER_YIELD) return false;
  work = 0;
  return true;
}

/** Runs steps to the end in one piece. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** How long a sliced evaluation may run before it lets the event loop turn (ms). */
export const DEFAULT_EVAL_SLICE_MS = 20;

/**
 * Runs steps for at most `sliceMs` at a time, continuing after `setImmediate`, and calls `done` with
 * the result (or `failed` with what it threw). When the steps finish within the first slice, `done`
 * is called before `runSliced` returns: a small run is decided exactly as when evaluated at once.
 * Returns a function that stops the steps (neither callback is called after it).
 */
export function runSliced<T>(steps: Steps<T>, sliceMs: number, done: (value: T) => void, failed: (err: unknown) => void): () => void {
  let stopped = false;
  const slice = (): void => {
    if (stopped) return;
    const until = performance.now() + sliceMs;
    let r: IteratorResult<void, T>;
    try {
      do r = steps.next();
      while (!r.done && performance.now() < until);
    } catch (err) {
      stopped = true;
      failed(err);
      return;
    }
    if (r.done) {
      stopped = true;
      done(r.value);
    } else {
      setImmediate(slice);
    }
  };
  slice();
  return () => {
    if (stopped) return;
    stopped = true;
    steps.return(undefined as never);
  };
}

/** `runSliced` as a promise. */
export function runSlicedAsync<T>(steps: Steps<T>, sliceMs: number = DEFAULT_EVAL_SLICE_MS): Promise<T> {
  return new Promise((resolve, reject) => runSliced(steps, sliceMs, resolve, reject));
}

/**
 * Sorts `items` by start time in steps, as a stable sort does. Spans mostly arrive in start order,
 * so a list already in order is only checked; any other is merge-sorted bottom-up, comparing the
 * starts as they are (comparing two BigInts allocates nothing).
 */
export function* sortByStartSteps<S extends { readonly startTimeUnixNano: bigint }>(items: readonly S[]): Steps<S[]> {
  const n = items.length;
  let from = items.slice();
  let inOrder = true;
  for (let i = 1; i < n && inOrder; i++) {
    inOrder = from[i - 1]!.startTimeUnixNano <= from[i]!.startTimeUnixNano;
    if (worked(1)) yield;
  }
  if (inOrder) return from;
  let to: S[] = new Array<S>(n);
  for (let width = 1; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const end = Math.min(left + 2 * width, n);
      let a = left;
      let b = mid;
      for (let k = left; k < end; k++) {
        // Take from the right run only when strictly earlier: equal starts keep their order.
        if (a < mid && (b >= end || from[a]!.startTimeUnixNano <= from[b]!.startTimeUnixNano)) to[k] = from[a++]!;
        else to[k] = from[b++]!;
      }
      if (worked(end - left)) yield;
    }
    [from, to] = [to, from];
  }
  return from;
}
