import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TracecheckClient } from '@tracecheck/client';
import { diffSnapshots, effectSnapshot, parseSnapshot, SnapshotFormatError, type SnapshotOptions } from '@tracecheck/lang';
import type { Span } from '@tracecheck/model';
import { parseDuration } from './units.js';
import { UsageError } from './usage-error.js';

export const snapshotUsage = `Usage: tracecheck snapshot --run ID [--url URL | --file FILE] [--out OUT | --compare SNAP] [options]

Writes the effect snapshot of a run: what the workflow did to the outside world (each effect by name
and service with its count, its call, its payload's shape, the order between effects), without
anything that changes from run to run. Against a live receiver it first waits for the run to settle
(and closes it). Compare a new run with a stored snapshot to see drift nobody wrote a check for.

Options:
  --url URL            receiver HTTP URL (default: $TRACECHECK_URL)
  --token TOKEN        bearer token (default: $TRACECHECK_TOKEN)
  --file FILE          read the run from a file instead (OTLP JSON lines, a tracecheck run file)
  --run ID             the run id (test.run.id); with --file, optional
  --out OUT            write the snapshot to OUT instead of stdout
  --compare SNAP       compare with the snapshot in SNAP: exit 0 when equal, 1 with the differences
  --pin PATH           record the values at this payload path, not only its type (repeatable;
                       dot paths, [] for array elements: currency, items[].sku)
  --ignore PATH        leave this payload path out (repeatable)
  --exclude NAME       leave out effects with this name, or 'name (svc service)' (repeatable)
  --attribute KEY      record this span attribute's values (repeatable)
  --settle DURATION    quiet time the run needs first (default 300ms)
  --timeout DURATION   most time to wait for it (default 10s)

Exit codes: 0 written, or equal to SNAP; 1 different from SNAP (the differences on stdout);
2 usage errors, an unreadable file or an unreachable receiver.
`;

/** `tracecheck snapshot`: returns the exit code. */
export async function snapshot(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      file: { type: 'string' },
      run: { type: 'string' },
      out: { type: 'string' },
      compare: { type: 'string' },
      pin: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      attribute: { type: 'string', multiple: true },
      settle: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.file !== undefined && values.url !== undefined) throw new UsageError('--url and --file are exclusive: snapshot a live run or a file');
  if (values.out !== undefined && values.compare !== undefined) throw new UsageError('--out and --compare are exclusive: write a snapshot or compare with one');
  const options: SnapshotOptions = { pin: values.pin ?? [], ignore: values.ignore ?? [], exclude: values.exclude ?? [], attributes: values.attribute ?? [] };

  let stored: string | undefined;
  if (values.compare !== undefined) {
    try {
      stored = await readFile(values.compare, 'utf8');
    } catch (e) {
      err.write(`tracecheck snapshot: cannot read ${values.compare}: ${(e as Error).message} (write one first with --out)\n`);
      return 2;
    }
  }

  let spans: Span[];
  let client: TracecheckClient | undefined;
  if (values.file !== undefined) {
    const { readSpanFile } = await import('./span-file.js');
    const all = await readSpanFile(values.file);
    spans = values.run === undefined ? all : all.inRun(values.run);
  } else {
    if (values.run === undefined) throw new UsageError('--run is required with a receiver: which run?');
    client = new TracecheckClient({ url: values.url, token: values.token });
    const settleMs = values.settle === undefined ? undefined : parseDuration('--settle', values.settle);
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration('--timeout', values.timeout);
    // The run's end: wait until it is quiet with nothing in flight, so the snapshot is of the whole run.
    await client.closeRun(values.run, { ...(settleMs === undefined ? {} : { settleMs }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    spans = await client.spans(values.run);
  }
  if (spans.length === 0) {
    err.write(`tracecheck snapshot: run ${values.run ?? '(file)'} has no spans: the instrumentation or the run id never reached a service\n`);
    return 2;
  }
  const text = effectSnapshot(spans, options);
  // The receiver counts these effects as guarded in `tracecheck run`'s coverage (best effort).
  await client?.recordSnapshot(values.run!, [...parseSnapshot(text).groups.keys()]).catch(() => {});

  if (stored !== undefined) {
    let diff: string[];
    try {
      diff = diffSnapshots(stored, text);
    } catch (e) {
      if (!(e instanceof SnapshotFormatError)) throw e;
      err.write(`tracecheck snapshot: ${values.compare} is ${e.message}\n`);
      return 2;
    }
    if (diff.length === 0 && stored === text) {
      out.write(`effect snapshot matches ${values.compare}\n`);
      return 0;
    }
    out.write(`effect snapshot differs from ${values.compare}:\n${diff.map((l) => `  ${l}`).join('\n')}\n`);
    if (diff.length === 0) out.write('  (the same effects, written differently: rewrite it with --out)\n');
    return 1;
  }
  if (values.out !== undefined) {
    await writeFile(values.out, text);
    err.write(`tracecheck snapshot: wrote ${values.out}\n`);
  } else out.write(text);
  return 0;
}
