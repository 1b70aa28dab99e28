import { SdkConfigError } from './errors.js';
import { type RedactionOptions, Redactor } from './redaction/redactor.js';

/** Default cap on `effect.payload`, in UTF-8 bytes (TRACECHECK_PAYLOAD_LIMIT, option `payloadLimit`). */
export const DEFAULT_PAYLOAD_LIMIT = 8192;

/** A non-negative integer setting from the environment, or `fallback` when unset. */
export function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new SdkConfigError(name, raw, 'a non-negative integer');
  return n;
}

/** What effect() and the queue helpers read at call time; startTracing() replaces it. */
export interface EffectSettings {
  readonly redactor: Redactor;
  readonly payloadLimit: number;
}

let current: EffectSettings | undefined;

/** The settings in force: those startTracing() installed, else the defaults (env honoured). */
export function effectSettings(): EffectSettings {
  if (!current) {
    let payloadLimit = DEFAULT_PAYLOAD_LIMIT;
    try {
      payloadLimit = intFromEnv('TRACECHECK_PAYLOAD_LIMIT', DEFAULT_PAYLOAD_LIMIT);
    } catch {
      // effect() must never throw for configuration; startTracing() reports a bad value instead.
    }
    current = { redactor: new Redactor(), payloadLimit };
  }
  return current;
}

/** Installs the settings startTracing() resolved. */
export function setEffectSettings(settings: EffectSettings): void {
  current = settings;
}

/**
 * Sets the redaction rules and payload cap effect() and the queue helpers use, for a service that
 * keeps its own OpenTelemetry setup (startTracing() sets them from its options).
 */
export function configureEffects(options: { redaction?: RedactionOptions; payloadLimit?: number }): void {
  setEffectSettings({ redactor: new Redactor(options.redaction), payloadLimit: options.payloadLimit ?? effectSettings().payloadLimit });
}
