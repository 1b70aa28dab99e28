import { receive, receiveUsage } from './receive.js';
import { UsageError } from './usage-error.js';

const usage = `Usage: tracecheck <command> [options]

Commands:
  receive    run a standalone OTLP receiver with the query API

Run 'tracecheck <command> --help' for a command's options.
`;

const commands: Record<string, { run: (argv: string[], out: NodeJS.WritableStream) => Promise<number>; usage: string }> = {
  receive: { run: receive, usage: receiveUsage },
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
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, out);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const isUsage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    err.write(`tracecheck ${name}: ${message}\n${isUsage ? `\n${command.usage}` : ''}`);
    return 2;
  }
}
