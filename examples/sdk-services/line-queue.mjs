// A minimal message queue between processes: newline-delimited JSON messages `{ headers, body }` over
// a TCP socket. It stands in for a broker; like one, it carries no trace context of its own, so the
// run id crosses it only through the message headers the SDK's queue helpers write and read.
import { connect, createServer } from 'node:net';

/** Listens on a free port; calls `onMessage` for each message; resolves with the server once listening. */
export function listenQueue(onMessage) {
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line) onMessage(JSON.parse(line));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A publisher connected to `port`; `publish(message)` resolves once the message is written. */
export function queuePublisher(port) {
  const socket = connect({ host: '127.0.0.1', port });
  return {
    publish: (message) => new Promise((resolve, reject) => socket.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve()))),
    close: () => socket.end(),
  };
}
