import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';
import { isCardNumber, isSecretKey, REDACTED } from './rules.js';

describe('default redaction rules', () => {
  const r = new Redactor();

  it.each(['password', 'db.password', 'userPassword', 'Authorization', 'http.request.header.authorization', 'x-api-key', 'apiKey', 'access_token', 'refreshToken', 'client_secret', 'set-cookie', 'card_number', 'cvv'])(
    'treats the key %s as secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );

  it.each(['amount', 'max_tokens', 'gen_ai.usage.input_tokens', 'order.id', 'author', 'passenger', 'test.run.id', 'http.request.method'])('leaves the key %s alone', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('masks card numbers that pass Luhn with a known issuer prefix, keeping the last four digits', () => {
    expect(r.text('card 4242 4242 4242 4242 ok')).toBe('card ****4242 ok');
    expect(r.text('5555-5555-5555-4444')).toBe('****4444');
    expect(r.text('378282246310005')).toBe('****0005');
    // Luhn fails, or no issuer prefix (a millisecond timestamp), or too short: left alone.
    expect(r.text('4242 4242 4242 4241')).toBe('4242 4242 4242 4241');
    expect(r.text('1732560000000')).toBe('1732560000000');
    expect(isCardNumber('4242 4242')).toBe(false);
  });

  it('masks bearer and basic credentials, JWTs and well-known API keys inside text', () => {
    expect(r.text('Authorization: Bearer abc.def-ghi_123')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.text('Basic dXNlcjpwYXNz')).toBe(`Basic ${REDACTED}`);
    expect(r.text('id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig')).toBe(`id ${REDACTED}`);
    expect(r.text('key sk_live_4eC39HqLyjWDarjtT1zdp7dc here')).toBe(`key ${REDACTED} here`);
    expect(r.text('AKIAIOSFODNN7EXAMPLE')).toBe(REDACTED);
  });

  it('masks secret fields inside JSON text, query strings and URL user info, keeping the keys', () => {
    expect(r.text('{"user":"ann","password":"hunter2","n":1}')).toBe(`{"user":"ann","password":"${REDACTED}","n":1}`);
    expect(r.text('https://api.example.com/cb?code=1&access_token=xyz&x=2')).toBe(`https://api.example.com/cb?code=1&access_token=${REDACTED}&x=2`);
    expect(r.text('postgres://app:s3cret@db:5432/app')).toBe(`postgres://app:${REDACTED}@db:5432/app`);
  });

  it('masks attribute values in place by key and by content, without dropping any', () => {
    const attributes: Record<string, unknown> = {
      'http.request.header.authorization': ['Bearer abc'],
      password: 'hunter2',
      has_password: true,
      note: 'paid with 4242424242424242',
      amount: 2500,
    };
    expect(r.attributes(attributes as never)).toBe(3);
    expect(attributes).toEqual({ 'http.request.header.authorization': [REDACTED], password: REDACTED, has_password: true, note: 'paid with ****4242', amount: 2500 });
  });

  it('masks payload objects at any depth, applying toJSON and surviving cycles', () => {
    const payload: Record<string, unknown> = { user: { name: 'ann', credentials: { password: 'x', apiKey: 'k' } }, card: '4242 4242 4242 4242', at: new Date(0), list: [{ token: 't' }] };
    payload.self = payload;
    expect(r.json(payload)).toEqual({
      user: { name: 'ann', credentials: { password: REDACTED, apiKey: REDACTED } },
      card: '****4242',
      at: '1970-01-01T00:00:00.000Z',
      list: [{ token: REDACTED }],
      self: '[Circular]',
    });
  });
});

describe('redaction shortcuts', () => {
  const r = new Redactor();

  it('gives the same answer for a key asked again', () => {
    for (let round = 0; round < 3; round++) {
      expect(isSecretKey('X-Api-Key')).toBe(true);
      expect(isSecretKey('http.request.method')).toBe(false);
      expect(isSecretKey('max_tokens')).toBe(false);
    }
  });

  it('masks secret pairs in text whatever the case of their keys, and leaves texts without such keys as they are', () => {
    expect(r.text('{"PASSWORD":"x","Card_Number":"y"}')).toBe(`{"PASSWORD":"${REDACTED}","Card_Number":"${REDACTED}"}`);
    expect(r.text('a=1&SessionId=abc')).toBe(`a=1&SessionId=${REDACTED}`);
    const plain = '{"amount":2500,"currency":"EUR","items":[{"sku":"a"}]}';
    expect(r.text(plain)).toBe(plain);
  });

  it('masks pairs under keys of a user key rule in text', () => {
    const custom = new Redactor({ rules: [{ name: 'email', key: /^email$/ }] });
    expect(custom.text('{"email":"a@b.c","n":"1"}')).toBe(`{"email":"${REDACTED}","n":"1"}`);
    expect(custom.text('?email=a@b.c')).toBe(`?email=${REDACTED}`);
  });

  it('copies an object met twice in a payload twice, not as a cycle', () => {
    const item = { sku: 'a', token: 't' };
    expect(r.json({ items: [item, item] })).toEqual({ items: [{ sku: 'a', token: REDACTED }, { sku: 'a', token: REDACTED }] });
  });
});

describe('user redaction rules', () => {
  it('adds key and pattern rules to the defaults', () => {
    const r = new Redactor({ rules: [{ name: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/ }, { name: 'email-key', key: /^customer\.email$/ }] });
    expect(r.text('ssn 123-45-6789, pw Bearer abc')).toBe(`ssn ${REDACTED}, pw Bearer ${REDACTED}`);
    expect(r.attribute('customer.email', 'a@b.c')).toBe(REDACTED);
  });

  it('replaces the defaults when defaults is false', () => {
    const r = new Redactor({ defaults: false, rules: [{ name: 'ids', pattern: /cus_\w+/, replace: (m) => `${m.slice(0, 4)}***` }] });
    expect(r.text('cus_123 Bearer abc')).toBe('cus_*** Bearer abc');
    expect(r.attribute('password', 'hunter2')).toBe('hunter2');
  });
});
