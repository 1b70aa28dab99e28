import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteScanner, FAST_PATH_BAIL, KeyTable } from './byte-scanner.js';
import { ProtoWriter } from './proto-writer.js';
import { writeUnescaped } from './unescape.js';

/*
 * The scanner's tokens against JSON.parse: it may give up on anything, but what it reads must be
 * what JSON.parse reads. Keys are looked up without making strings, so every near miss of a known
 * key is tried. Seeded as the differential tests (TRACECHECK_FUZZ_SEED, TRACECHECK_FUZZ_RUNS).
 */

const RUNS = Number(process.env['TRACECHECK_FUZZ_RUNS'] ?? 400);
const SEED = Number(process.env['TRACECHECK_FUZZ_SEED'] ?? 20_240_611);
const params = { seed: SEED, numRuns: RUNS };

/** What `read` gives on `text`, or 'gave up'. */
function scan<T>(text: string | Buffer, read: (s: ByteScanner) => T): T | 'gave up' {
  const s = new ByteScanner(Buffer.isBuffer(text) ? text : Buffer.from(text));
  try {
    return read(s);
  } catch (e) {
    if (e === FAST_PATH_BAIL) return 'gave up';
    throw e;
  }
}

const NAMES = ['traceId', 'spanId', 'parentSpanId', 'traceState', 'flags', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'status'];
/** Printable ASCII but the quote and the backslash. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== '"' && c !== '\\');

describe('ByteScanner', () => {
  it('finds a known key only when it is exactly that key, first and last characters included, guessed or looked up', () => {
    const table = new KeyTable(NAMES);
    const key = (k: string, after: number) => scan(`"${k}":1`, (s) => s.key(table, after));
    for (const [i, name] of NAMES.entries()) {
      // Guessing each key in turn (after its predecessor) and not guessing.
      for (const after of [-1, i === 0 ? NAMES.length : i - 1]) {
        expect(key(name, after)).toBe(i);
        for (const a of PRINTABLE) {
          for (const b of PRINTABLE) {
            const variant = a + name.slice(1, -1) + b;
            expect(key(variant, after)).toBe(NAMES.indexOf(variant));
          }
          for (let at = 1; at < name.length - 1; at++) {
            const variant = name.slice(0, at) + a + name.slice(at + 1);
            expect(key(variant, after)).toBe(NAMES.indexOf(variant));
          }
        }
        expect(key(name.slice(0, -1), after)).toBe(-1);
        expect(key(`${name}s`, after)).toBe(-1);
        expect(key(`\\u${name.charCodeAt(0).toString(16).padStart(4, '0')}${name.slice(1)}`, after)).toBe(i);
      }
    }
  });

  it('reads a number as JSON.parse does, or gives up', () => {
    const numberish = fc.oneof(
      fc.stringMatching(/^-?[0-9]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?[,}]?$/),
      fc.stringMatching(/^-?[0-9]{1,18}(\.[0-9]{1,18})?([eE][+-]?[0-9]{1,4})?$/),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(numberish, (text) => {
        const got = scan(text, (s) => {
          s.number();
          s.end();
          return s.numberValue();
        });
        let want: unknown;
        try {
          want = JSON.parse(text);
        } catch {
          want = 'gave up';
        }
        expect(got).toBe(want);
      }),
      params,
    );
  });

  it('reads a string as JSON.parse does (escapes, lone surrogates, control characters), or gives up', () => {
    // JSON string tokens, often broken: stray quotes and backslashes, bad escapes, raw control characters.
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\\"', '\\\\', '\\/', '\\u00e9', '\\ud83c\\udf0d', '\\ud800', '\\uDC00x', '\\x', '\\u12', '"', '\\', '\n', '\u0001'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const token = `"${pieces.join('')}"`;
        // The scanner reads bytes already checked as UTF-8: a raw lone surrogate has none.
        fc.pre(Buffer.from(token).toString() === token);
        const got = scan(token, (s) => {
          s.string();
          s.end();
          return s.text();
        });
        let want: string | undefined;
        try {
          want = JSON.parse(token) as string;
        } catch {
          want = undefined;
        }
        expect(got).toBe(want ?? 'gave up');
        if (want === undefined) return;
        // Written straight as UTF-8: what a UTF-8 encoding of the value gives, and its UTF-16 length.
        const s = new ByteScanner(Buffer.from(token));
        s.string();
        const w = new ProtoWriter(16);
        expect(writeUnescaped(w, s.buf, s.strStart, s.strEnd)).toBe(want.length);
        expect(Buffer.from(w.buf.subarray(0, w.pos)).toString('hex')).toBe(Buffer.from(want).toString('hex'));
      }),
      params,
    );
  });

  it('skips any JSON value JSON.parse takes, and gives up on text it refuses', () => {
    const texts = fc.oneof(
      fc.json().map((t) => ({ t, ok: true })),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x')).map(([t, at, c]) => ({ t: t.slice(0, at % (t.length + 1)) + c, ok: false })),
    );
    fc.assert(
      fc.property(texts, ({ t }) => {
        let parses = true;
        try {
          JSON.parse(t);
        } catch {
          parses = false;
        }
        const skipped = scan(t, (s) => {
          s.skip();
          s.end();
          return true;
        });
        // Giving up on what JSON.parse takes is allowed only for nesting past the scanner's cap.
        if (!parses) expect(skipped).toBe('gave up');
        else if (skipped === 'gave up') expect(t.split(/[[{]/).length).toBeGreaterThan(64);
      }),
      params,
    );
  });
});
