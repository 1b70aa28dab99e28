import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JsonAnyValue, JsonKeyValue, JsonSpan } from '@tracecheck/model';

/** The directory of the SDK fixture services (examples/sdk-services), where `@tracecheck/sdk` resolves. */
export const servicesDir = fileURLToPath(new URL('../../examples/sdk-services/', import.meta.url));

/** A running fixture process: its port once ready, its output, and how it ended. */
export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  output(): { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `<node> [--import @tracecheck/sdk/register] <script>` in `cwd` with `env` on top of ours,
 * and waits for its `ready <port>` line. Any Node binary: this one, or Node 24 for the 3.x line.
 */
export async function startNodeProcess(
  node: string,
  cwd: string,
  script: string,
  env: NodeJS.ProcessEnv,
  options: { register?: boolean; stdin?: boolean } = {},
): Promise<ServiceProcess> {
  const args = [...(options.register === false ? [] : ['--import', '@tracecheck/sdk/register']), script];
  const child = spawn(node, args, { cwd, env: { ...process.env, ...env }, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /^ready (\d+)$/m.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(({ code, signal }) => reject(new Error(`${script} exited (${code ?? signal}) before ready:\n${stderr}`)));
  });
  return { child, port, exited, output: () => ({ stdout, stderr }) };
}

/** Starts a fixture of examples/sdk-services with this Node (the 2.x line); see startNodeProcess. */
export function startService(script: string, env: NodeJS.ProcessEnv, options: { register?: boolean; stdin?: boolean } = {}): Promise<ServiceProcess> {
  return startNodeProcess(process.execPath, servicesDir, script, env, options);
}

/** Stops fixture processes that are still running. */
export function killAll(processes: Array<ServiceProcess | undefined>): void {
  for (const p of processes) if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}

/** A span attribute (or resource attribute) as a plain JS value. */
export function attr(list: JsonKeyValue[], key: string): unknown {
  const v = list.find((a) => a.key === key)?.value;
  return v === undefined ? undefined : plain(v);
}

function plain(v: JsonAnyValue): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return v.arrayValue.values.map(plain);
  return undefined;
}

/** `service.name` of a span's resource. */
export function serviceOf(span: JsonSpan): unknown {
  return attr(span.resource.attributes, 'service.name');
}
