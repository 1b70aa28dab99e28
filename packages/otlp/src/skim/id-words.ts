import { RUN_ID_ATTRIBUTE } from '@tracecheck/model';

/*
 * Ids as the SkimResult columns hold them: 4 id bytes per word, big-endian, so a word's hex is the
 * matching slice of the id's hex.
 */

/** Stores `words` words of the id whose bytes start at `at` of `view`. */
export function storeIdWords(into: Uint32Array, offset: number, view: DataView, at: number, words: number): void {
  for (let w = 0; w < words; w++) into[offset + w] = view.getUint32(at + 4 * w);
}

/** Stores the words of an id given as lowercase hex (a model span's). */
export function wordsOfHex(into: Uint32Array, offset: number, hex: string): void {
  for (let i = 0; i < hex.length; i += 8) into[offset + i / 8] = parseInt(hex.slice(i, i + 8), 16) >>> 0;
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
