// Ends a burst of spans and is sent SIGTERM right after (started with --import @tracecheck/sdk/register).
// APP_HANDLER=exit: the app has its own SIGTERM handler that closes its server and calls process.exit(0),
// as many services do; without it, SIGTERM's default action ends the process.
import { createServer } from 'node:http';
import { context, propagation } from '@opentelemetry/api';
import { effect } from '@tracecheck/sdk';

const burst = Number(process.env.BURST ?? 1000);
const server = createServer((req, res) => {
  res.end('ok');
});

if (process.env.APP_HANDLER === 'exit') {
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

server.listen(0, '127.0.0.1', () => {
  console.log(`ready ${server.address().port}`);
  process.stdin.once('data', () => {
    const ctx = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: process.env.RUN_ID } }));
    context.with(ctx, () => {
      for (let i = 0; i < burst; i++) effect('burst.effect', { i }, () => i);
    });
    // The spans are ended; the signal comes before the export has had a turn of the event loop.
    process.kill(process.pid, 'SIGTERM');
  });
});
