// Starts one of this example's processes (with the SDK's register hook unless `register` is false)
// and resolves with it and its port once it prints `ready <port>`; the suites in miniature use it.
import { spawn } from 'node:child_process';

export function start(script, env, register = true) {
  const child = spawn(process.execPath, [...(register ? ['--import', '@tracecheck/sdk/register'] : []), script], { cwd: import.meta.dirname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ready (\d+)$/m.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
