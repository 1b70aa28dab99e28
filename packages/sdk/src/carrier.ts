import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * Message headers as broker clients shape them: kafkajs delivers `Buffer` values (or arrays of them),
 * amqplib plain values, an in-process queue strings. Keys are matched without regard to case, since
 * some brokers and bridges change it.
 */
export type MessageHeaders = Record<string, unknown>;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** Reads W3C headers from any of the shapes above. */
export const headersGetter: TextMapGetter<MessageHeaders> = {
  keys(carrier) {
    return carrier ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (!carrier) return undefined;
    let raw = carrier[key];
    if (raw === undefined) {
      const lower = key.toLowerCase();
      const found = Object.keys(carrier).find((k) => k.toLowerCase() === lower);
      if (found !== undefined) raw = carrier[found];
    }
    if (Array.isArray(raw)) {
      const values = raw.map(text).filter((v): v is string => v !== undefined);
      return values.length > 0 ? values : undefined;
    }
    return text(raw);
  },
};

/** Writes W3C headers as strings, which every broker client accepts. */
export const headersSetter: TextMapSetter<MessageHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};
