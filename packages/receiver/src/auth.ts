import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header value carries `Bearer <token>`. The comparison takes the same
 * time whatever the guess: both sides are hashed to a fixed length first, so neither the length
 * nor the first differing byte of the token leaks through timing.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const given = match?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && match !== null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
