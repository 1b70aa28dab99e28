#!/usr/bin/env node
// The CLI runs from the built output; `pnpm run build` (part of the README's setup) produces it.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
