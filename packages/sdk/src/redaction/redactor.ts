import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { defaultRedactionRules, REDACTED, type RedactionRule } from './rules.js';

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
    if (out.includes('"')) out = out.replace(jsonPair, (m, k: string, sep: string) => (this.isSecretKey(k) ? `"${k}"${sep}"${REDACTED}"` : m));
    if (out.includes('=')) out = out.replace(formPair, (m, lead: string, k: string) => (this.isSecretKey(k) ? `${lead}${k}=${REDACTED}` : m));
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
    return this.jsonValue(value, new WeakSet());
  }

  private jsonValue(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object') return value;
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return this.jsonValue(withJson.toJSON(), seen);
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.jsonValue(v, seen));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && typeof v !== 'boolean' && this.isSecretKey(k)) out[k] = REDACTED;
        else out[k] = this.jsonValue(v, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }
}

function sameArray(a: AttributeValue, b: AttributeValue): boolean {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
}
