import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SdkConfigError } from './errors.js';

const SETTING = 'TRACECHECK_INSTRUMENTATIONS';

/** One entry of TRACECHECK_INSTRUMENTATIONS: a package, and the class to take from it if named. */
export interface InstrumentationSpec {
  readonly packageName: string;
  readonly exportName?: string;
}

/**
 * Parses TRACECHECK_INSTRUMENTATIONS: package names separated by commas (or whitespace), each
 * optionally `package#ExportName` when the package exports more than one instrumentation class.
 */
export function instrumentationSpecs(env: NodeJS.ProcessEnv = process.env): InstrumentationSpec[] {
  const raw = env[SETTING]?.trim() ?? '';
  if (!raw) return [];
  return raw.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const hash = entry.lastIndexOf('#');
    const packageName = hash > 0 ? entry.slice(0, hash) : entry;
    const exportName = hash > 0 ? entry.slice(hash + 1) : undefined;
    if (!/^(@[\w.-]+\/)?[\w.-]+$/.test(packageName) || exportName === '') {
      throw new SdkConfigError(SETTING, entry, 'a package name, optionally followed by #ExportName');
    }
    return exportName ? { packageName, exportName } : { packageName };
  });
}

type InstrumentationClass = new (config?: object) => unknown;

/**
 * Loads and instantiates (with default config) the instrumentations TRACECHECK_INSTRUMENTATIONS
 * names. Packages resolve from the application's directory (the main script's, else the working
 * directory), where the user installed them, not from the SDK's. A package that is not installed
 * or has no single `...Instrumentation` class is an SdkConfigError.
 */
export function loadEnvInstrumentations(env: NodeJS.ProcessEnv = process.env, from: string = appDirectory()): unknown[] {
  const require = createRequire(join(from, 'noop.js'));
  return instrumentationSpecs(env).map(({ packageName, exportName }) => {
    let exports: Record<string, unknown>;
    try {
      exports = require(packageName) as Record<string, unknown>;
    } catch (error) {
      throw new SdkConfigError(SETTING, packageName, `a package installed for ${from} (${(error as Error).message.split('\n')[0]})`);
    }
    const names = exportName ? [exportName] : Object.keys(exports).filter((name) => /.Instrumentation$/.test(name));
    const classes = names.map((name) => exports[name]).filter((value): value is InstrumentationClass => typeof value === 'function');
    if (classes.length !== 1 || classes.length !== names.length) {
      const expected = exportName ? `a package exporting the class ${exportName}` : 'a package exporting one ...Instrumentation class (name it with package#ExportName)';
      throw new SdkConfigError(SETTING, packageName, expected);
    }
    return new classes[0]!();
  });
}

function appDirectory(): string {
  const main = process.argv[1];
  return main ? join(main, '..') : process.cwd();
}
