import { beforeAll, describe, expect, it } from 'vitest';
import { startReceiverProcess } from '../scripts/fuzz/campaign.mjs';
import { buildWorkspace } from './support/build.js';
import { exportLargeRun } from './support/large-run.js';

// A large run's spans are written in parts, and other requests are served between the parts. The
// reader is another process, as fast as the socket: with it, every write drains at once, so only a
// real process shows whether the receiver ever gives the event loop back while it answers.

const SPANS = 60_000;

describe('GET /api/runs/{id}/spans of a large run', () => {
  beforeAll(() => buildWorkspace(), 120_000);

  it('answers /healthz while the spans are being written', async () => {
    const receiver = startReceiverProcess(['--retention', '24h']);
    try {
      const { http } = await receiver.ready;
      await exportLargeRun(http, 'big', SPANS);

      let writing = true;
      let answeredMeanwhile = 0;
      const poll = (async () => {
        while (writing) {
          const res = await fetch(`${http}/healthz`);
          await res.arrayBuffer();
          if (writing) answeredMeanwhile++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const res = await fetch(`${http}/api/runs/big/spans`);
      const body = Buffer.from(await res.arrayBuffer());
      writing = false;
      await poll;

      expect(JSON.parse(body.toString()).spans).toHaveLength(SPANS);
      // Before, none was answered until the last part was written (850 ms for 50,000 spans).
      expect(answeredMeanwhile).toBeGreaterThanOrEqual(3);
    } finally {
      receiver.child.kill('SIGTERM');
      await receiver.exited;
    }
  }, 60_000);
});
