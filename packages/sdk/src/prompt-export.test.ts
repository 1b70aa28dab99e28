import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PromptExportSpanProcessor } from './prompt-export.js';
import type { EndedSpan, ExportResultLike, SpanExporterLike } from './span-types.js';

// PromptExportSpanProcessor with an exporter that records what it is given: when requests go out and
// which spans each one carries.

function span(name: string): EndedSpan {
  return {
    name,
    attributes: {},
    events: [],
    endTime: [0, 0],
    spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 }),
  };
}

class RecordingExporter implements SpanExporterLike {
  readonly requests: string[][] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  export(spans: EndedSpan[], done: (result: ExportResultLike) => void): void {
    this.requests.push(spans.map((s) => s.name));
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.count ? (w.resolve(), false) : true));
    done({ code: 0 });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves once `count` requests were made. */
  requestsMade(count: number): Promise<'exported'> {
    return new Promise((resolve) => {
      if (this.requests.length >= count) resolve('exported');
      else this.waiters.push({ count, resolve: () => resolve('exported') });
    });
  }
}

const timer = (ms: number) => sleep(ms, 'timer');

describe('PromptExportSpanProcessor', () => {
  it('sends a span ended while the process only waits, without waiting for something else to wake it', async () => {
    const exporter = new RecordingExporter();
    const processor = new PromptExportSpanProcessor(exporter);
    // What is scheduled for the next turn must keep the event loop turning: work that does not
    // (an unref'd immediate) waits for unrelated I/O or a timer, in an idle service for ever.
    const immediates = () => process.getActiveResourcesInfo().filter((r) => r === 'Immediate').length;
    const before = immediates();
    processor.onEnd(span('alone'));
    expect(immediates()).toBe(before + 1);
    expect(await Promise.race([exporter.requestsMade(1), timer(50)])).toBe('exported');
    expect(exporter.requests).toEqual([['alone']]);
  });

  it('holds spans ended right after a request, and sends them together in the next one', async () => {
    const exporter = new RecordingExporter();
    const processor = new PromptExportSpanProcessor(exporter, { minIntervalMs: 30 });
    processor.onEnd(span('first'));
    await exporter.requestsMade(1);
    for (const name of ['a', 'b', 'c']) {
      processor.onEnd(span(name));
      await nextTurn();
    }
    expect(exporter.requests).toEqual([['first']]);
    await exporter.requestsMade(2);
    expect(exporter.requests).toEqual([['first'], ['a', 'b', 'c']]);
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ exported: 4, queued: 0, dropped: 0 });
  });

  it('does not hold spans when flushed, nor a full batch', async () => {
    const exporter = new RecordingExporter();
    const processor = new PromptExportSpanProcessor(exporter, { minIntervalMs: 60_000, maxBatchSize: 2 });
    processor.onEnd(span('first'));
    await exporter.requestsMade(1);
    processor.onEnd(span('held'));
    await nextTurn();
    expect(await Promise.race([processor.forceFlush().then(() => 'flushed'), timer(1000)])).toBe('flushed');
    processor.onEnd(span('x'));
    processor.onEnd(span('y'));
    expect(await Promise.race([exporter.requestsMade(3), timer(1000)])).toBe('exported');
    expect(exporter.requests).toEqual([['first'], ['held'], ['x', 'y']]);
  });
});
