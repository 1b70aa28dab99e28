/**
 * Reading a span's attributes as text, for labels and descriptions (the trace tree's HTTP labels,
 * an effect snapshot's calls): the first of several keys that has a value, in current or older
 * OpenTelemetry semantic conventions.
 */
import type { Span } from '@tracecheck/model';

/** The first of `keys` with a non-empty string or a number, as text. */
export function attributeText(span: Span, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = span.attributes.get(key);
    if (v?.type === 'string' && v.value !== '') return v.value;
    if (v?.type === 'int' || v?.type === 'double') return String(v.value);
  }
  return undefined;
}

/** The full URL of an HTTP request (`url.full`, formerly `http.url`), if it parses. */
export function requestUrl(span: Span): URL | undefined {
  const full = attributeText(span, 'url.full', 'http.url');
  if (full === undefined) return undefined;
  try {
    return new URL(full);
  } catch {
    return undefined;
  }
}
