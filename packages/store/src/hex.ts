/*
 * Ids are held as 32-bit words (4 for a trace id, 2 for a span id), each word 4 id bytes read
 * big-endian, as the skim writes them; the model spells them as lowercase hex. These convert.
 */

const scratch = Buffer.alloc(16);

/** Lowercase hex of `count` words of `words` from `at`. */
export function hexOfWords(words: ArrayLike<number>, at: number, count: number): string {
  for (let k = 0; k < count; k++) scratch.writeUInt32BE(words[at + k]!, k * 4);
  return scratch.toString('hex', 0, count * 4);
}

/** Lowercase hex of a span id given as its two words. */
export function hexOfPair(hi: number, lo: number): string {
  scratch.writeUInt32BE(hi >>> 0, 0);
  scratch.writeUInt32BE(lo >>> 0, 4);
  return scratch.toString('hex', 0, 8);
}

const HEX = /^[0-9a-f]*$/;

/**
 * Writes the words of a lowercase hex id of `count` words into `into` at `at`; false when the text
 * is not such an id (no stored id can then equal it).
 */
export function wordsOfHex(hex: string, count: number, into: Uint32Array, at: number): boolean {
  if (hex.length !== count * 8 || !HEX.test(hex)) return false;
  for (let k = 0; k < count; k++) into[at + k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16);
  return true;
}
