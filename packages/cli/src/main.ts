import { check, checkUsage } from './check.js';
import { receive, receiveUsage } from './receive.js';
import { run, runUsage } from './run.js';
import { UsageError } from './usage-error.js';

const usage = `Usage: tracecheck <command> [options]

Commands:
  receive    run a standalone OTLP receiver with the query API
  check      decide assertions on a run (live receiver or OTLP JSON-lines file)
  run        run a command with a receiver and the environment pointing at it

Run 'tracecheck <command> --help' for a command's options.
`;

const commands: Record<string, { run: (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<number>; usage: string }> = {
  receive: { run: receive, usage: receiveUsage },
  check: { run: check, usage: checkUsage },
  run: { run, usage: runUsage },
};

/**
 * Runs the CLI and returns its exit code: 0 success, 1 a failed check, 2 usage errors and anything
 * that kept the command from running (DESIGN.md's CLI contract).
 */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? err : out).write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    err.write(`tracecheck: unknown command '${name}'\n\n${usage}`);
    return 2;
  }
  // Flags after `--` belong to the command `tracecheck run` runs, not to us.
  const ours = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (ours.includes('--help') || ours.includes('-h')) {
    out.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, out, err);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const isUsage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // Our errors carry a stable code and say what to do; anything else is a bug worth its stack.
    const known = typeof (e as { code?: unknown })?.code === 'string';
    const detail = isUsage ? `\n${command.usage}` : known || !(e instanceof Error) ? '' : `${e.stack}\n`;
    err.write(`tracecheck ${name}: ${message}\n${detail}`);
    return 2;
  }
}
