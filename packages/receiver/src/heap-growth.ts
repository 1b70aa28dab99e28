import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/*
 * A receiver's JavaScript heap is small (tens of MB) while the memory it allocates outside it is
 * large: every request's body, and the chunks Node's HTTP parser reads it in. V8 counts that
 * external memory towards the heap's limit for a full collection, and sets the limit a small factor
 * above a small heap: about 16 MB of slack, which a receiver under load uses in 20 to 40 requests. Its
 * full collections then run back to back, each marking the whole heap, and took a quarter of the
 * CPU of ingest (`node bench/ingest.mjs`: 9 to 20 full collections per 400 requests).
 *
 * A process that is a receiver (`tracecheck receive`, `tracecheck run`) therefore lets the heap
 * grow at least HEAP_GROWTH_MIN_BYTES between full collections while it is small, through V8's
 * heap-growing factor (`--heap-growing-percent`), re-read each HEAP_GROWTH_INTERVAL_MS.
 *
 * Past twice that size the factor is HEAP_GROWTH_LARGE_PERCENT, not V8's own (between the two,
 * the growth is HEAP_GROWTH_MIN_BYTES). V8 sets the next collection's limit at the end of each one,
 * as a factor (up to 4) of what was live then. A check holds views of its whole run while it is
 * decided, so a collection that falls while checks are in flight sees a live heap several times the
 * usual, and V8's own factor then let garbage pile up to four times that before the next one: a
 * fuzzing campaign with a 64 MiB store went past 250 MB of heap with 24 MB live, and its peak RSS
 * past the receiver's stated bound. Half the live heap bounds that garbage; a check over a run of
 * 1,000,000 spans was no slower for it (`node bench/check-stall.mjs --spans 1000000`).
 */

/** The least the heap may grow between full collections while small. */
export const HEAP_GROWTH_MIN_BYTES = 48 * 1024 * 1024;
/** How often the heap's size is read to set the growing factor. */
export const HEAP_GROWTH_INTERVAL_MS = 250;
/** The growing factor, in percent over the heap's size, once the heap is past twice HEAP_GROWTH_MIN_BYTES. */
export const HEAP_GROWTH_LARGE_PERCENT = 50;
/** The largest growing factor set, in percent over the heap's size (V8's own maximum factor is 4). */
const MAX_GROWING_PERCENT = 300;

/**
 * The growing percent for a heap of `used` bytes: enough for HEAP_GROWTH_MIN_BYTES of growth, at
 * most MAX_GROWING_PERCENT and at least HEAP_GROWTH_LARGE_PERCENT.
 */
export function growingPercent(used: number): number {
  const percent = Math.ceil((HEAP_GROWTH_MIN_BYTES / Math.max(used, 1)) * 100);
  return Math.min(MAX_GROWING_PERCENT, Math.max(HEAP_GROWTH_LARGE_PERCENT, percent));
}

/**
 * Sets the heap-growing factor for this process now and every HEAP_GROWTH_INTERVAL_MS (the timer
 * does not keep the process alive); the returned function stops it and gives V8 its own factor
 * back. For a process whose work is receiving: the flag is the whole process's.
 */
export function keepHeapGrowth(): () => void {
  let set = -1;
  const adjust = (): void => {
    const percent = growingPercent(getHeapStatistics().used_heap_size);
    if (percent === set) return;
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    set = percent;
  };
  adjust();
  const timer = setInterval(adjust, HEAP_GROWTH_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    setFlagsFromString('--heap-growing-percent=0');
  };
}
