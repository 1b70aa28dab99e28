// The null sink of bench/ingest.mjs: an HTTP server that reads each request's body whole and
// answers 200 with an empty OTLP response, the least any OTLP/HTTP receiver must do.
//
// With --keep it also keeps every body, copied as it arrives into a buffer of the declared length
// (as the receiver reads a body it stores): the least a receiver that keeps the request's bytes
// must do, new memory included.
import http from 'node:http';

const keep = process.argv.includes('--keep');
const kept = [];

const server = http.createServer((req, res) => {
  const declared = Number(req.headers['content-length']);
  let into = keep && Number.isInteger(declared) && declared > 0 ? Buffer.allocUnsafeSlow(declared) : undefined;
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    if (into !== undefined && size + c.length <= into.length) c.copy(into, size);
    else {
      if (into !== undefined) chunks.push(into.subarray(0, size));
      into = undefined;
      chunks.push(c);
    }
    size += c.length;
  });
  req.on('end', () => {
    const body = into !== undefined ? into.subarray(0, size) : Buffer.concat(chunks);
    if (keep) kept.push(body);
    const json = req.headers['content-type'] === 'application/json';
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
    res.end(json ? '{}' : '');
  });
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
