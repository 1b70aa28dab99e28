import { describe, expect, it } from 'vitest';
import { ParseError } from './errors.js';
import { tokenize } from './lexer.js';

const kinds = (text: string) => tokenize(text).map((t) => t.kind);

describe('tokenize', () => {
  it('gives every token its [start, end) offsets', () => {
    const tokens = tokenize('{ span.amount >= 2500 }');
    expect(tokens.map((t) => [t.start, t.end])).toEqual([[0, 1], [2, 13], [14, 16], [17, 21], [22, 23], [23, 23]]);
  });

  it('reads the longest operator', () => {
    expect(tokenize('!>> !> ! &<< &~ && || | =~ !~ <= <<').filter((t) => t.kind === 'punct').map((t) => (t as { value: string }).value))
      .toEqual(['!>>', '!>', '!', '&<<', '&~', '&&', '||', '|', '=~', '!~', '<=', '<<']);
  });

  it('ends an attribute name at whitespace or one of {}()=~!<>&|^,', () => {
    const [attr, op] = tokenize('.http.status_code>=200');
    expect(attr).toMatchObject({ kind: 'attribute', scope: undefined, name: 'http.status_code' });
    expect(op).toMatchObject({ kind: 'punct', value: '>=' });
    expect(tokenize('span.a-b+c/d:e')[0]).toMatchObject({ kind: 'attribute', scope: 'span', name: 'a-b+c/d:e' });
  });

  it('joins quoted parts of attribute names, with \\" and \\\\ escapes only', () => {
    expect(tokenize('span."idempotency key"')[0]).toMatchObject({ scope: 'span', name: 'idempotency key' });
    expect(tokenize('.a"b c"d')[0]).toMatchObject({ name: 'ab cd' });
    expect(tokenize('."x\\"y\\\\z"')[0]).toMatchObject({ name: 'x"y\\z' });
    expect(() => tokenize('."x\\n"')).toThrow(/invalid escape/);
  });

  it('reads scoped intrinsics as one token', () => {
    expect(tokenize('trace:rootName')[0]).toMatchObject({ kind: 'scoped', scope: 'trace', name: 'rootName' });
    expect(() => tokenize('span: name')).toThrow(ParseError);
  });

  it('reads strings with Go escapes and raw strings verbatim', () => {
    expect(tokenize('"a\\tb\\"c\\u00e9\\x41\\101"')[0]).toMatchObject({ kind: 'string', value: 'a\tb"céAA' });
    expect(tokenize('`a\\tb"c`')[0]).toMatchObject({ kind: 'string', value: 'a\\tb"c' });
    expect(() => tokenize('"line\nbreak"')).toThrow(/unterminated string/);
  });

  it('reads ints as bigint, floats, and durations in every unit', () => {
    expect(tokenize('9223372036854775807')[0]).toMatchObject({ kind: 'int', value: 9223372036854775807n });
    expect(tokenize('1.5 .5 1e3 2.5E-3').slice(0, 4).map((t) => (t as { value: number }).value)).toEqual([1.5, 0.5, 1000, 0.0025]);
    const nanos = tokenize('5ns 3us 3µs 250ms 2s 1m 1h30m 1.5s').slice(0, 8).map((t) => (t as { nanos: bigint }).nanos);
    expect(nanos).toEqual([5n, 3000n, 3000n, 250_000_000n, 2_000_000_000n, 60_000_000_000n, 5_400_000_000_000n, 1_500_000_000n]);
  });

  it('rejects numbers glued to letters that are no duration', () => {
    expect(() => tokenize('10x')).toThrow(/invalid number '10x'/);
    expect(() => tokenize('10mh')).toThrow(/invalid duration '10mh'/);
    expect(() => tokenize('9223372036854775808')).toThrow(/out of range/);
  });

  it('skips // and /* */ comments like Go scanners do', () => {
    expect(kinds('some // note\n{ } /* x */')).toEqual(['word', 'punct', 'punct', 'eof']);
  });

  it('reports an unexpected character where it is', () => {
    try {
      tokenize('{ .a = 1 } & { }');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
      expect(err).toMatchObject({ code: 'unexpected-character', offset: 11, line: 1, column: 12 });
    }
  });
});
