// A tracecheck receiver in a child process (`tracecheck receive` on free ports), for the scripts
// that start the shop themselves: resolves with `{ url, stop() }`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The `tracecheck` CLI's entry point (the workspace's @tracecheck/cli). */
export const tracecheckBin = fileURLToPath(new URL('../bin/tracecheck.js', pathToFileURL(require.resolve('@tracecheck/cli'))));

export function startReceiver(args = []) {
  const child = spawn(process.execPath, [tracecheckBin, 'receive', '--http-port', '0', '--grpc-port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^tracecheck ready http=(\S+)/m.exec(out);
      if (m) {
        resolve({
          url: m[1],
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`tracecheck receive exited with ${code} before it was ready`)));
  });
}
