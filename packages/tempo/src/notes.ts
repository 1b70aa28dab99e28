/**
 * What polls ran into, kept as notes for the verdicts of the checks that were deciding then: each
 * kind of problem once, with how often and when it was seen, and a failed request turned into the
 * sentence a verdict shows.
 */
import { TempoRequestError } from './http.js';

/** Something a poll ran into, kept for the verdicts of the checks that were deciding then. */
export interface TempoNote {
  readonly kind: string;
  readonly key: string;
  readonly message: string;
  count: number;
  readonly firstAt: number;
  lastAt: number;
}

/** A TempoSource's notes, by kind and key. */
export class TempoNotes {
  private readonly notes = new Map<string, TempoNote>();

  /** Notes a problem, or counts it again when it was seen before. */
  add(kind: string, key: string, message: string): void {
    const id = `${kind}:${key}`;
    const now = Date.now();
    const n = this.notes.get(id);
    if (n) {
      n.count++;
      n.lastAt = now;
    } else this.notes.set(id, { kind, key, message, count: 1, firstAt: now, lastAt: now });
  }

  /** The notes of problems seen since `t` (ms since the epoch), as sentences for a verdict. */
  since(t: number): string[] {
    return [...this.notes.values()].filter((n) => n.lastAt >= t).map((n) => (n.count > 1 ? `${n.message} (${n.count} times)` : n.message));
  }

  /** Notes a failed request (anything else thrown counts as `bad-body`) and gives it back as a TempoRequestError. */
  problem(e: unknown): TempoRequestError {
    const err = e instanceof TempoRequestError ? e : new TempoRequestError('bad-body', '', e instanceof Error ? e.message : String(e));
    const retried = 'the source asked again with backoff and counted it as "not known yet", never as no spans';
    switch (err.kind) {
      case 'rate-limited':
        this.add('429', '', `Tempo answered 429 (too many requests) to ${err.path.split('?')[0]}; ${retried}${err.retryAfterMs === undefined ? '' : ' (Retry-After honoured)'}`);
        break;
      case 'lagging':
        this.add('lag', '', `Tempo's live store was behind its ingest queue ("cannot guarantee complete results"); ${retried}`);
        break;
      case 'too-large':
        this.add('422', err.path, `Tempo refused ${err.path} as larger than its max_bytes_per_trace (422): that trace could not be read whole, so checks that need the whole run cannot settle (raise max_bytes_per_trace in Tempo's overrides)`);
        break;
      default:
        this.add(err.kind, err.status === undefined ? '' : String(err.status), `${err.message}; ${retried}`);
    }
    return err;
  }
}
