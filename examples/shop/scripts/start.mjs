#!/usr/bin/env node
// Starts the whole shop for a person to use: a tracecheck receiver (unless TRACECHECK_URL is set),
// the queue and the sandboxes, the API, the worker and the web front end, on the ports of stack.mjs
// (SHOP_<NAME>_PORT to move them; SHOP_FAULT=<name> to reproduce an incident). Ctrl-C stops it all.
//   node scripts/start.mjs     then open http://127.0.0.1:3800
import { receiverEnv, startStack } from '../stack.mjs';
import { startReceiver } from './receiver.mjs';

const receiver = process.env.TRACECHECK_URL ? { url: process.env.TRACECHECK_URL, stop: async () => undefined } : await startReceiver();
const stack = await startStack({ env: receiverEnv(receiver.url), log: (name, text) => process.stdout.write(text.replace(/^(?=.)/gm, `${name.padEnd(9)} | `)) });
console.log(`\nThe shop is up${process.env.SHOP_FAULT ? ` with SHOP_FAULT=${process.env.SHOP_FAULT}` : ''}. Spans go to ${receiver.url}.`);
for (const [name, url] of Object.entries(stack.urls)) console.log(`  ${name.padEnd(9)} ${url}`);
console.log(`Open ${stack.urls.web} in a browser; send 'baggage: test.run.id=<id>' with API calls to tag a run. Ctrl-C stops.`);
const stop = async () => {
  await stack.stop();
  await receiver.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
