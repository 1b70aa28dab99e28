import { HttpError } from './http-error.js';

/**
 * Bytes of request bodies being read or processed at once, across connections. Each body is capped
 * by `maxBodyBytes`, but many concurrent uploads could still add up to more memory than the process
 * has; past `maxInFlightBytes` the receiver answers 429 with `Retry-After` (a status OTLP exporters
 * retry) instead of buffering more.
 */
export class InFlightBudget {
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly retryAfterSeconds: number,
  ) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `n` bytes of the budget, or throws a 429 HttpError and takes nothing. */
  reserve(n: number): void {
    if (this.used + n > this.maxBytes) {
      throw new HttpError(429, 'RECEIVER_BUSY', `request bodies in flight would exceed maxInFlightBytes (${this.maxBytes}); retry later`, {
        'retry-after': String(this.retryAfterSeconds),
      });
    }
    this.used += n;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}
