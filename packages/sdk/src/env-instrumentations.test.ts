import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrumentationSpecs, loadEnvInstrumentations } from './env-instrumentations.js';
import { SdkConfigError } from './errors.js';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const env = (value: string) => ({ TRACECHECK_INSTRUMENTATIONS: value });

describe('TRACECHECK_INSTRUMENTATIONS', () => {
  it('names packages separated by commas or spaces, each optionally with #ExportName', () => {
    expect(instrumentationSpecs(env(' @opentelemetry/instrumentation-express, pg-inst  @scope/x#PgInstrumentation '))).toEqual([
      { packageName: '@opentelemetry/instrumentation-express' },
      { packageName: 'pg-inst' },
      { packageName: '@scope/x', exportName: 'PgInstrumentation' },
    ]);
    expect(instrumentationSpecs({})).toEqual([]);
    expect(loadEnvInstrumentations({}, sdkDir)).toEqual([]);
  });

  it('rejects what is not a package name', () => {
    expect(() => instrumentationSpecs(env('./local.js'))).toThrow(SdkConfigError);
    expect(() => instrumentationSpecs(env('pkg#'))).toThrow(/TRACECHECK_INSTRUMENTATIONS: "pkg#" is not a package name/);
  });

  it('instantiates the named class of a package installed where the app is', () => {
    const [made] = loadEnvInstrumentations(env('@opentelemetry/instrumentation#InstrumentationNodeModuleDefinition'), sdkDir);
    expect(made?.constructor.name).toBe('InstrumentationNodeModuleDefinition');
  });

  it('says which package is missing, or has no single instrumentation class', () => {
    expect(() => loadEnvInstrumentations(env('@opentelemetry/instrumentation-nope'), sdkDir)).toThrow(
      /"@opentelemetry\/instrumentation-nope" is not a package installed for .*sdk/,
    );
    expect(() => loadEnvInstrumentations(env('@opentelemetry/instrumentation'), sdkDir)).toThrow(/one \.\.\.Instrumentation class/);
    expect(() => loadEnvInstrumentations(env('@opentelemetry/instrumentation#Nope'), sdkDir)).toThrow(/exporting the class Nope/);
  });
});
