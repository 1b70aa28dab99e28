import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { Redactor } from './redaction/redactor.js';

/**
 * Span attributes from user-given details: strings, numbers, booleans and homogeneous arrays of them
 * go as they are; bigints as numbers when exact, else as text; other objects as JSON text; null and
 * undefined are left out. Secrets are masked with `redactor`.
 */
export function toAttributes(details: Record<string, unknown>, redactor: Redactor, skip?: string): Attributes {
  const out: Attributes = {};
  for (const [key, raw] of Object.entries(details)) {
    if (key === skip || raw === undefined || raw === null) continue;
    const value = toAttributeValue(raw, redactor);
    if (value !== undefined) out[key] = redactor.attribute(key, value);
  }
  return out;
}

function toAttributeValue(raw: unknown, redactor: Redactor): AttributeValue | undefined {
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      return raw;
    case 'bigint':
      return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw.toString();
    case 'object': {
      if (Array.isArray(raw) && isHomogeneousPrimitiveArray(raw)) return raw as AttributeValue;
      try {
        return JSON.stringify(redactor.json(raw));
      } catch {
        return String(raw);
      }
    }
    default:
      return undefined;
  }
}

function isHomogeneousPrimitiveArray(values: unknown[]): boolean {
  if (values.length === 0) return true;
  const type = typeof values[0];
  if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  return values.every((v) => typeof v === type);
}
