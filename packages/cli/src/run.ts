import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import type { Overturn } from '@tracecheck/lang';
import { type CheckRecord, keepHeapGrowth, type SnapshotRecord, startReceiver } from '@tracecheck/receiver';
import { writeReport } from './report.js';
import { parseDuration, parsePort } from './units.js';
import { UsageError } from './usage-error.js';

export const runUsage = `Usage: tracecheck run [options] -- COMMAND [ARGS...]

Starts a receiver, runs COMMAND with the environment pointing at it, and exits with COMMAND's exit
code. COMMAND (your test runner, a script, docker compose...) and the services it starts find the
receiver through:
  OTEL_EXPORTER_OTLP_ENDPOINT   the receiver (OTLP/HTTP; its gRPC port if OTEL_EXPORTER_OTLP_PROTOCOL=grpc)
  OTEL_EXPORTER_OTLP_PROTOCOL   http/protobuf, unless already set
  OTEL_BSP_SCHEDULE_DELAY       20 (ms), unless already set: plain OpenTelemetry services send promptly
  TRACECHECK_EXPORT_DELAY       0, unless already set: @tracecheck/sdk services send in the next turn
  TRACECHECK_URL                the receiver's HTTP URL, for tracecheck check and the test integrations
  TRACECHECK_TOKEN              the token, with --token

Options:
  --report DIR         write report.json (command, exit code, runs, every check the receiver
                       decided), each run's spans (runs/<id>.json), junit.xml (a testcase per
                       check, for CI test viewers) and index.html (the page to open: checks,
                       verdicts, trace waterfalls) to DIR when COMMAND ends
  --host HOST          address to bind (default 127.0.0.1)
  --http-port PORT     OTLP/HTTP and API port (default 0: a free port)
  --grpc-port PORT     OTLP/gRPC port (default 0: a free port)
  --token TOKEN        require 'Authorization: Bearer TOKEN' (default: $TRACECHECK_TOKEN); the
                       command gets it as TRACECHECK_TOKEN and in OTEL_EXPORTER_OTLP_HEADERS
  --settle DURATION    quiet time a run needs at the end before its checks are re-verified
                       (default 300ms)

When COMMAND exits, every run whose checks passed by settling is closed: once it is quiet, each
such check is decided again on the whole run. A check the whole run contradicts (a duplicate that
came after the pass) is OVERTURNED: its explanation goes to stderr and into the report.

SIGINT and SIGTERM are passed on to COMMAND. Exit code: COMMAND's, 128+N when a signal N ended it,
1 when COMMAND succeeded but a check was overturned, 2 when the receiver or COMMAND could not start.
`;

/** `tracecheck run`: resolves with the command's exit code once the report is written. */
export async function run(argv: string[], _out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      report: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'http-port': { type: 'string', default: '0' },
      'grpc-port': { type: 'string', default: '0' },
      token: { type: 'string' },
      settle: { type: 'string' },
    },
  });
  const [command, ...args] = positionals;
  if (command === undefined) throw new UsageError('give the command to run after --, e.g. tracecheck run -- npm test');
  const token = values.token ?? (process.env.TRACECHECK_TOKEN || undefined);
  const settleMs = values.settle === undefined ? undefined : parseDuration('--settle', values.settle);
  const checks: CheckRecord[] = [];
  const overturns: Overturn[] = [];
  const snapshots: SnapshotRecord[] = [];
  const receiver = await startReceiver({
    host: values.host,
    httpPort: parsePort('--http-port', values['http-port']),
    grpcPort: parsePort('--grpc-port', values['grpc-port']),
    token,
    onCheck: (c) => checks.push(c),
    onOverturn: (o) => overturns.push(o),
    onSnapshot: (r) => snapshots.push(r),
    // A check whose payload schemas failed in the test: the report shows the verdict the test saw.
    onCheckAmend: (a) => {
      const c = checks.find((x) => x.id === a.id);
      if (c !== undefined) Object.assign(c, { pass: a.pass, message: a.message, verdict: { ...c.verdict, pass: a.pass, message: a.message, payloadFailures: a.payloadFailures } });
    },
  });
  const startedAt = Date.now();
  // This process is the run's receiver: its heap may grow enough between full collections (see keepHeapGrowth).
  const stopHeapGrowth = keepHeapGrowth();
  try {
    const grpc = process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc';
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: grpc ? `http://${receiver.grpcAddress}` : receiver.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: process.env.OTEL_BSP_SCHEDULE_DELAY ?? '20',
      TRACECHECK_EXPORT_DELAY: process.env.TRACECHECK_EXPORT_DELAY ?? '0',
      TRACECHECK_URL: receiver.httpUrl,
      ...(token ? { TRACECHECK_TOKEN: token, OTEL_EXPORTER_OTLP_HEADERS: withAuthorization(process.env.OTEL_EXPORTER_OTLP_HEADERS, token) } : {}),
    };
    const commandCode = await runCommand(command, args, env, err);
    // The end of every run: re-verify what passed by settling (closing a run also reports overturns
    // made earlier by a test's own close or delete, which onOverturn collected).
    await receiver.closeAllRuns({ settleMs });
    for (const o of overturns) err.write(`\n${o.message}\n`);
    if (overturns.length > 0) err.write(`\ntracecheck run: ${overturns.length} check${overturns.length === 1 ? ' that had passed was' : 's that had passed were'} overturned at the end of the run\n`);
    const exitCode = commandCode === 0 && overturns.length > 0 ? 1 : commandCode;
    if (values.report !== undefined) {
      const summary = await writeReport(values.report, { command: [command, ...args], exitCode, commandExitCode: commandCode, startedAt, endedAt: Date.now(), store: receiver.store, checks, overturns, snapshots });
      err.write(`tracecheck run: report in ${values.report} (${summary})\n`);
    }
    return exitCode;
  } finally {
    stopHeapGrowth();
    await receiver.stop();
  }
}

/** OTEL_EXPORTER_OTLP_HEADERS with the bearer token added (the exporters send these headers). */
function withAuthorization(headers: string | undefined, token: string): string {
  const others = (headers ?? '').split(',').filter((p) => p.trim() !== '' && !/^\s*authorization\s*=/i.test(p));
  return [...others, `Authorization=${encodeURIComponent(`Bearer ${token}`)}`].join(',');
}

/** Runs the command with inherited stdio, passing SIGINT/SIGTERM on; resolves with its exit code. */
function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, err: NodeJS.WritableStream): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (code: number): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.on('error', (e) => {
      err.write(`tracecheck run: cannot start ${command}: ${e.message}\n`);
      done(2);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
