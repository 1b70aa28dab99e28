import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VitestRun } from '@tracecheck/vitest';
import { api } from './api.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With SHOP_BARRIER_DIR set, waits until the other parallel file has arrived too, so that both
 * place their orders at the same time (the integration test sets it; alone, the files do not wait).
 */
async function barrier(me: string): Promise<void> {
  const dir = process.env.SHOP_BARRIER_DIR;
  if (!dir) return;
  writeFileSync(join(dir, me), '');
  const other = me === 'a' ? 'b' : 'a';
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(dir, other))) {
    if (Date.now() > deadline) throw new Error(`parallel-${other}.test.ts never started: the parallel files did not run at the same time`);
    await sleep(20);
  }
}

export async function placeOrders(run: VitestRun, me: string, email: string): Promise<void> {
  await barrier(me);
  for (let i = 0; i < 3; i++) {
    const res = await run.fetch(`${api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'honey', qty: i + 1 }], email }),
    });
    if (res.status !== 201) throw new Error(`order ${i + 1} answered ${res.status}`);
    await sleep(50);
  }
}
