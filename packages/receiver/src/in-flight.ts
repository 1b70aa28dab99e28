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

  /**
   * Takes `n` bytes of the budget, or throws and takes nothing: a 429 while others hold it, a 413
   * when `n` alone is more than the whole budget (retrying could never help).
   */
  reserve(n: number): void {
    if (n > this.maxBytes) {
      throw new HttpError(413, 'REQUEST_TOO_LARGE', `the request needs ${n} bytes held at once, more than maxInFlightBytes (${this.maxBytes})`);
    }
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
