import { argsErrorMessage } from './args-error.js';
import { shortUsage } from './short-usage.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usage-error.js';

const usage = `Usage: tracecheck <command> [options]

Commands:
  receive    run a standalone OTLP receiver with the query API
  check      decide assertions on a run (live receiver, OTLP JSON-lines file or tracecheck run file)
  run        run a command with a receiver and the environment pointing at it
  snapshot   write or compare the effect snapshot of a run (what it did to the outside world)

Run 'tracecheck <command> --help' for a command's options.
`;

type Stream = NodeJS.WritableStream;

/** A command once loaded: what it runs and its help text. */
interface Command {
  run: (argv: string[], out: Stream, err: Stream) => Promise<number>;
  usage: string;
}

/**
 * Each command is loaded when it is asked for, so that a process pays only for what it runs: the
 * receiver (and gRPC with it) costs more to load than the rest of the CLI together, and neither
 * `tracecheck --help` nor `tracecheck check` needs it.
 */
const commands: Record<string, () => Promise<Command>> = {
  receive: async () => {
    const m = await import('./receive.js');
    return { run: m.receive, usage: m.receiveUsage };
  },
  check: async () => {
    const m = await import('./check.js');
    return { run: m.check, usage: m.checkUsage };
  },
  run: async () => {
    const m = await import('./run.js');
    return { run: m.run, usage: m.runUsage };
  },
  snapshot: async () => {
    const m = await import('./snapshot.js');
    return { run: m.snapshot, usage: m.snapshotUsage };
  },
};

/**
 * Runs the CLI and returns its exit code: 0 success, 1 a failed check, 2 usage errors and anything
 * that kept the command from running. Scripts and CI steps tell those apart by the code alone.
 */
export async function main(argv: string[], out: Stream = process.stdout, err: Stream = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? err : out).write(usage);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const close = didYouMean(name, Object.keys(commands));
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command '${name}'`;
    const synopsis = `Usage: tracecheck ${Object.keys(commands).join('|')} [options]`;
    err.write(`tracecheck: ${what}${close === undefined ? '' : `; did you mean '${close}'?`}\n${shortUsage(synopsis)}`);
    return 2;
  }
  let command: Command | undefined;
  try {
    command = await load();
    // Flags after `--` belong to the command `tracecheck run` runs, not to us.
    const ours = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (ours.includes('--help') || ours.includes('-h')) {
      out.write(command.usage);
      return 0;
    }
    return await command.run(rest, out, err);
  } catch (e) {
    const argsMessage = command && argsErrorMessage(e, command.usage);
    if (command && (e instanceof UsageError || argsMessage !== undefined)) {
      err.write(`tracecheck ${name}: ${argsMessage ?? (e as Error).message}\n${shortUsage(command.usage, name)}`);
      return 2;
    }
    // Our errors carry a stable code and say what to do; anything else is a bug worth its stack.
    const message = e instanceof Error ? e.message : String(e);
    const known = typeof (e as { code?: unknown })?.code === 'string';
    err.write(`tracecheck ${name}: ${message}\n${known || !(e instanceof Error) ? '' : `${e.stack}\n`}`);
    return 2;
  }
}
