import { RUN_ID_ATTRIBUTE } from '@tracecheck/model';

/*
 * Ids as the SkimResult columns hold them: 4 id bytes per word, big-endian, so a word's hex is the
 * matching slice of the id's hex.
 */

/** Stores `words` words of the id whose bytes start at `at` of `view`. */
export function storeIdWords(into: Uint32Array, offset: number, view: DataView, at: number, words: number): void {
  for (let w = 0; w < words; w++) into[offset + w] = view.getUint32(at + 4 * w);
}

const HEX = /^[0-9a-f]*$/;

/**
 * Writes the words of a lowercase hex id of `count` words into `into` at `at`; false (nothing
 * written) when the text is not such an id, so no id held as words can equal it.
 */
export function wordsOfHex(hex: string, count: number, into: Uint32Array, at: number): boolean {
  if (hex.length !== count * 8 || !HEX.test(hex)) return false;
  for (let k = 0; k < count; k++) into[at + k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16);
  return true;
}

const scratch = Buffer.alloc(16);

/** Lowercase hex of `count` id words of `words` from `at`. */
export function hexOfWords(words: ArrayLike<number>, at: number, count: number): string {
  for (let k = 0; k < count; k++) scratch.writeUInt32BE(words[at + k]! >>> 0, k * 4);
  return scratch.toString('hex', 0, count * 4);
}

/** Lowercase hex of a span id given as its two words. */
export function hexOfPair(hi: number, lo: number): string {
  scratch.writeUInt32BE(hi >>> 0, 0);
  scratch.writeUInt32BE(lo >>> 0, 4);
  return scratch.toString('hex', 0, 8);
}

const RUN_KEY = Buffer.from(RUN_ID_ATTRIBUTE, 'utf8');

/** Bytes of the run id attribute's key. */
export const RUN_KEY_LENGTH = RUN_KEY.length;

/** Whether bytes [start, end) of `buf` spell the run id attribute's key. */
export function isRunKey(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start !== RUN_KEY.length) return false;
  for (let i = 0; i < RUN_KEY.length; i++) if (buf[start + i] !== RUN_KEY[i]) return false;
  return true;
}
