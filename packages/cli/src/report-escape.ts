/**
 * Escaping for the report's XML (junit.xml) and HTML (index.html). Span names, attributes and
 * verdict messages are data from the services under test: everything is escaped, and characters XML
 * 1.0 cannot hold at all (C0 controls but tab and newlines, U+FFFE/U+FFFF, lone surrogates; not even
 * as `&#1;`) are spelled out as `\uXXXX`, so the file still parses and the reader sees they were there.
 */

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const spellOut = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with the characters XML cannot hold spelled out as `\uXXXX`. */
export function xmlSafe(s: string): string {
  return s.replace(NOT_XML, spellOut);
}

/** Text content (XML or HTML). */
export function escapeText(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; newlines and tabs as references, so parsers keep them. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as `\u` escapes, so no
 * string in it can close the script element or open a comment; U+2028/U+2029 too, for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
