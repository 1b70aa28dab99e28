#!/usr/bin/env node
// The CLI runs from the built output; `pnpm run build` (part of the README's setup) produces it.
import { main } from '../dist/main.js';

// A reader that goes away early (`tracecheck check ... | head -1`) is not an error of ours: stop
// writing to it, quietly, and exit with the command's own code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
