import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from './support/build.js';

// Every `tracecheck` process pays at start for what it imports; a command must not load what only
// another needs. gRPC and protobufjs are the heavy ones, and both are CommonJS, so the require
// cache of a process that ran the command (built dist/, as users run it) tells whether they loaded.

const main = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
const vector = fileURLToPath(new URL('./fixtures/vectors/trace.json', import.meta.url));
const probe = `
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
const { main } = await import(process.env.MAIN);
const sink = new Writable({ write: (_c, _e, done) => done() });
const code = await main(JSON.parse(process.env.ARGS), sink, sink);
const loaded = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({ code, grpc: loaded.some((p) => p.includes('@grpc')), protobufjs: loaded.some((p) => /[\\\\/]protobufjs[\\\\/]/.test(p)) }));
process.exit(0);
`;

describe('what a tracecheck command loads', () => {
  let script: string;
  beforeAll(() => {
    buildWorkspace();
    script = join(mkdtempSync(join(tmpdir(), 'tracecheck-load-')), 'probe.mjs');
    writeFileSync(script, probe);
  }, 120_000);

  const loads = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, [script], { env: { ...process.env, MAIN: main, ARGS: JSON.stringify(args) } });
    return JSON.parse(stdout) as { code: number; grpc: boolean; protobufjs: boolean };
  };

  it('loads gRPC and the protobuf decoders for receive', async () => {
    expect(await loads('receive', '--help')).toEqual({ code: 0, grpc: true, protobufjs: true });
  });

  it.each([
    ['--help', ['--help'], 0],
    ['check against a receiver', ['check', '--url', 'http://127.0.0.1:1', '--run', 'x', 'some "a"'], 2],
    ['check on an OTLP/JSON file', ['check', '--file', vector, 'some "a"'], 1],
    ['a mistyped flag', ['check', '--timout', '5s', 'some "a"'], 2],
  ])('loads neither for %s', async (_what, args, code) => {
    expect(await loads(...args)).toEqual({ code, grpc: false, protobufjs: false });
  });
});
