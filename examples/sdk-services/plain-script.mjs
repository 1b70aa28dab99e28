// A script that does its work and ends by itself (started with --import @tracecheck/sdk/register):
// with no receiver listening it must behave exactly as without the SDK, exiting as soon as it is done.
import { createServer } from 'node:http';
import { effect } from '@tracecheck/sdk';

const server = createServer((req, res) => res.end('pong'));
server.listen(0, '127.0.0.1', async () => {
  const reply = await fetch(`http://127.0.0.1:${server.address().port}/ping`).then((r) => r.text());
  const sum = effect('compute', { payload: { password: 'x' } }, () => 40 + 2);
  server.close();
  console.log(`ready 0\n${reply} ${sum}`);
});
