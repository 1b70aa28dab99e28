// The default redaction rules. A rule masks either a whole value (by the key it sits under) or the
// matching part of any string. Defaults aim at what leaks in practice through spans: authorization
// headers, bearer tokens, passwords, API keys and card numbers.

/** What a masked value, or the masked part of a string, becomes. */
export const REDACTED = '[REDACTED]';

/**
 * One redaction rule. `key` masks the whole value of any attribute or payload field whose key it
 * matches (at any depth of a payload); `pattern` masks each match inside any string value. A rule may
 * have both.
 */
export interface RedactionRule {
  /** A name for documentation and for filtering the defaults (`defaultRedactionRules`). */
  readonly name: string;
  /** Keys whose values are secrets: a regular expression tested against the key, or a predicate. */
  readonly key?: RegExp | ((key: string) => boolean);
  /** Secrets inside strings. Matched globally (a `g` flag is added when missing). */
  readonly pattern?: RegExp;
  /** The replacement for a pattern match: a string (with `$1`-style groups) or a function. Default: REDACTED. */
  readonly replace?: string | ((match: string, ...groups: string[]) => string);
  /** A second opinion on a pattern match (e.g. the Luhn check); a match it rejects stays as it is. */
  readonly check?: (match: string) => boolean;
}

/** The words of a key: `X-Api-Key` -> x api key, `accessToken` -> access token, `db.password` -> db password. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const secretWords = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'authorization', 'cookie', 'apikey', 'cvv', 'cvc', 'pin']);
const secretPairs: ReadonlyArray<readonly [string, string]> = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['card', 'number'],
  ['session', 'id'],
];

// Every word test below needs one of these in the lower-cased key (a word is a piece of it); most
// keys (`http.request.method`, `amount`) have none and are settled by this one scan.
const secretHint = /pass|pwd|secret|token|authorization|cookie|key|cvv|cvc|pin|number|session/;

// The same few keys are tested for every span (attribute names, payload field names): answers are
// remembered, up to a bound (cleared when full, so keys made of ids cannot grow it without end).
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 4096;
const MAX_KEY_LENGTH = 256;

/** True for keys that name a credential: password, *token, authorization, cookie, api key, card number... */
export function isSecretKey(key: string): boolean {
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = secretHint.test(key.toLowerCase()) && hasSecretWord(keyWords(key));
  if (key.length <= MAX_KEY_LENGTH) {
    if (answers.size >= MAX_ANSWERS) answers.clear();
    answers.set(key, answer);
  }
  return answer;
}

/**
 * False when no key written inside `text` (a JSON field name, a query parameter) can be a secret key
 * by isSecretKey: none of the words those keys need appears in it. Lets a redactor with only the
 * default key rule skip scanning text for key-value pairs.
 */
export function mayHoldSecretKey(text: string): boolean {
  return secretHint.test(text.toLowerCase());
}

function hasSecretWord(words: string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (secretWords.has(w)) return true;
    // accesstoken, refreshtoken, xsrftoken, clientsecret, dbpassword: one-word spellings.
    if (w.endsWith('token') || w.endsWith('password') || w.endsWith('secret') || w.endsWith('apikey')) return true;
    const next = words[i + 1];
    if (next && secretPairs.some(([a, b]) => a === w && b === next)) return true;
  }
  return false;
}

/** The Luhn checksum over the digits of `text` (separators ignored). */
export function luhnValid(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// Issuer prefixes of the major card networks; checking them keeps Luhn-valid timestamps and ids
// (one in ten digit runs passes Luhn) from being masked.
const cardPrefix = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5|4[4-9]|2)|35)/;

/** A card number: 13-19 digits, optionally grouped by single spaces or dashes, with a known issuer prefix and a valid Luhn checksum. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  return digits.length >= 13 && digits.length <= 19 && cardPrefix.test(digits) && luhnValid(digits);
}

/** The rules applied unless `defaults: false` is given. */
export const defaultRedactionRules: readonly RedactionRule[] = [
  { name: 'secret-keys', key: isSecretKey },
  { name: 'bearer-token', pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, replace: `$1 ${REDACTED}` },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  {
    name: 'card-number',
    pattern: /(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d.])/g,
    check: isCardNumber,
    // Keeping the last four digits is what receipts do, and lets a test tell two cards apart.
    replace: (match) => `****${match.replace(/\D/g, '').slice(-4)}`,
  },
  {
    name: 'api-key',
    pattern: /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})\b/g,
  },
];
