/** Counts turns of the event loop (setImmediate callbacks) until stopped: how often other work got in. */
export function countTurns(): { count: () => number; stop: () => void } {
  let n = 0;
  let on = true;
  const tick = (): void => {
    n++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return { count: () => n, stop: () => (on = false) };
}
