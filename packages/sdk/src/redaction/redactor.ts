import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { defaultRedactionRules, isSecretKey, mayHoldSecretKey, REDACTED, type RedactionRule } from './rules.js';

/** How redaction is configured: the defaults (unless `defaults: false`) plus the user's rules. */
export interface RedactionOptions {
  /** Apply `defaultRedactionRules` (default true). */
  defaults?: boolean;
  /** Extra rules, applied after the defaults. */
  rules?: readonly RedactionRule[];
}

type KeyTest = (key: string) => boolean;
interface PatternRule {
  pattern: RegExp;
  replace: RedactionRule['replace'];
  check: RedactionRule['check'];
}

// Secrets inside structured text, found by the key they sit under (any key rule decides):
// JSON pairs `"password": "..."`, query and form pairs `token=...`, and URL user-info passwords.
const jsonPair = /"((?:[^"\\]|\\.){1,100})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const formPair = /(^|[?&;\s])([A-Za-z0-9_.[\]-]{1,100})=([^&#\s;]+)/g;
const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)([^@/?#\s]+)@/gi;

/**
 * Masks secrets in place of their values: the key (attribute name, payload field) always stays, the
 * value becomes REDACTED (or the rule's replacement). Never drops a value.
 */
export class Redactor {
  private readonly keyTests: KeyTest[] = [];
  private readonly patterns: PatternRule[] = [];
  // With the default key rule alone, text without any of its words holds no secret key-value pair.
  private readonly onlyDefaultKeys: boolean;

  constructor(options: RedactionOptions = {}) {
    const rules = [...(options.defaults === false ? [] : defaultRedactionRules), ...(options.rules ?? [])];
    for (const rule of rules) {
      const key = rule.key;
      if (key instanceof RegExp) this.keyTests.push((k) => ((key.lastIndex = 0), key.test(k)));
      else if (key) this.keyTests.push(key);
      if (rule.pattern) {
        const flags = rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`;
        this.patterns.push({ pattern: new RegExp(rule.pattern.source, flags), replace: rule.replace, check: rule.check });
      }
    }
    this.onlyDefaultKeys = this.keyTests.length === 1 && this.keyTests[0] === isSecretKey;
  }

  /** True when values under `key` are masked whole. */
  isSecretKey(key: string): boolean {
    for (const test of this.keyTests) if (test(key)) return true;
    return false;
  }

  /** `text` with every secret inside it masked. */
  text(text: string): string {
    let out = text;
    for (const { pattern, replace, check } of this.patterns) {
      pattern.lastIndex = 0;
      if (!pattern.test(out)) continue;
      pattern.lastIndex = 0;
      out = out.replace(pattern, (match: string, ...rest: unknown[]) => {
        if (check && !check(match)) return match;
        if (replace === undefined) return REDACTED;
        if (typeof replace === 'function') return replace(match, ...(rest.filter((r) => typeof r === 'string') as string[]));
        return match.replace(new RegExp(pattern.source, pattern.flags.replace('g', '')), replace);
      });
    }
    if (this.keyTests.length === 0) return out;
    const quoted = out.includes('"');
    const assigned = out.includes('=');
    const pairs = (quoted || assigned) && (!this.onlyDefaultKeys || mayHoldSecretKey(out));
    if (pairs && quoted) out = out.replace(jsonPair, (m, k: string, sep: string) => (this.isSecretKey(k) ? `"${k}"${sep}"${REDACTED}"` : m));
    if (pairs && assigned) out = out.replace(formPair, (m, lead: string, k: string) => (this.isSecretKey(k) ? `${lead}${k}=${REDACTED}` : m));
    if (out.includes('@')) out = out.replace(userInfo, `$1${REDACTED}@`);
    return out;
  }

  /** The masked form of one attribute value, or the value itself when nothing needed masking. */
  attribute(key: string, value: AttributeValue): AttributeValue {
    if (this.isSecretKey(key) && typeof value !== 'boolean') {
      return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    }
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value) && value.some((v) => typeof v === 'string')) {
      return value.map((v) => (typeof v === 'string' ? this.text(v) : v)) as AttributeValue;
    }
    return value;
  }

  /** Masks an attribute map in place; returns how many values changed. */
  attributes(attributes: Attributes): number {
    let changed = 0;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value === undefined || value === null) continue;
      const masked = this.attribute(key, value);
      if (masked !== value && !sameArray(masked, value)) {
        (attributes as Record<string, AttributeValue>)[key] = masked;
        changed++;
      }
    }
    return changed;
  }

  /**
   * A JSON-able copy of `value` with secrets masked: fields under secret keys at any depth, secrets
   * inside strings. Applies `toJSON` as JSON.stringify would; cycles become "[Circular]".
   */
  json(value: unknown): unknown {
    return this.jsonValue(value, []);
  }

  // `ancestors` holds the objects being copied on the way down (a cycle leads back to one of them);
  // an array is cheaper than a WeakSet at payload depths.
  private jsonValue(value: unknown, ancestors: object[]): unknown {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'bigint':
        return value.toString();
      case 'object':
        if (value !== null) break;
        return value;
      default:
        return value;
    }
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return this.jsonValue(withJson.toJSON(), ancestors);
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    try {
      if (Array.isArray(value)) {
        const out: unknown[] = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = this.jsonValue(value[i], ancestors);
        return out;
      }
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const k of Object.keys(record)) {
        const v = record[k];
        if (v !== undefined && typeof v !== 'boolean' && this.isSecretKey(k)) out[k] = REDACTED;
        else out[k] = this.jsonValue(v, ancestors);
      }
      return out;
    } finally {
      ancestors.pop();
    }
  }
}

function sameArray(a: AttributeValue, b: AttributeValue): boolean {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
}
