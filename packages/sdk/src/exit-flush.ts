/** Which exit paths flush the pending spans (startTracing option `flushOnExit`). */
export interface ExitFlushOptions {
  /** Signals that flush before the process goes (default SIGTERM and SIGINT); [] for none. */
  signals?: NodeJS.Signals[];
  /** Flush when the event loop empties (`beforeExit`, default true). */
  beforeExit?: boolean;
  /** Longest wait for a flush on the way out, in ms (default 5000). */
  timeoutMs?: number;
  /** On `exit` (process.exit() or the end of the loop), send what is left synchronously (default true). */
  rescue?: boolean;
}

/**
 * Hooks the process's exit paths so the last spans are sent, changing the application's own signal
 * behaviour as little as possible:
 *
 * - `beforeExit`: flushes; the loop then empties again and the process exits as it would have.
 * - a signal the application also listens for: flushes alongside the application's handlers and
 *   does nothing else (the application decides whether and when to exit).
 * - a signal nobody else listens for: flushes (at most `timeoutMs`), then removes its listener and
 *   raises the signal again, so the process ends by that signal as it would have without us, only
 *   after the flush. A second such signal during the flush ends the process at once.
 *
 * - `exit` (process.exit() called, by the application's own signal handler for instance): whatever
 *   is still queued or in flight is sent synchronously (see PromptExportSpanProcessor.rescueOnExit).
 *
 * Returns a function that removes the hooks.
 */
export function hookExit(flush: () => Promise<void>, rescue: () => void, options: ExitFlushOptions = {}): () => void {
  const timeoutMs = options.timeoutMs ?? 5000;
  const bounded = () => withTimeout(flush().catch(() => {}), timeoutMs);
  const removers: Array<() => void> = [];

  if (options.beforeExit !== false) {
    const onBeforeExit = () => void bounded();
    process.on('beforeExit', onBeforeExit);
    removers.push(() => process.off('beforeExit', onBeforeExit));
  }

  if (options.rescue !== false) {
    const onExit = () => rescue();
    process.on('exit', onExit);
    removers.push(() => process.off('exit', onExit));
  }

  for (const signal of options.signals ?? (['SIGTERM', 'SIGINT'] as NodeJS.Signals[])) {
    let flushing = false;
    const onSignal = () => {
      const appHandles = process.listenerCount(signal) > 1;
      if (appHandles) return void bounded();
      if (flushing) return reraise();
      flushing = true;
      void bounded().then(reraise);
    };
    const reraise = () => {
      process.off(signal, onSignal);
      // If the application added a handler meanwhile, it now owns the signal; otherwise the default
      // action ends the process by this signal, as it would have without us.
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
    removers.push(() => process.off(signal, onSignal));
  }
  return () => {
    for (const remove of removers) remove();
  };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    // Ref'd on purpose: on a signal the process must stay until the flush ends or the time is up.
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
