import type { StoreReservation } from './span-source.js';

/** Thrown when a batch would take a store over its memory cap. Nothing was stored. */
export class StoreFullError extends Error {
  readonly code = 'STORE_FULL';
  constructor(
    readonly neededBytes: number,
    readonly usedBytes: number,
    readonly maxBytes: number,
  ) {
    super(`span store is full: ${usedBytes} of ${maxBytes} bytes used, the batch needs ${neededBytes} more`);
    this.name = 'StoreFullError';
  }
}

interface MutableReservation {
  remaining: number;
  release(): void;
}

/**
 * A store's memory cap, in the store's own accounting: bytes used by what it holds, and bytes set
 * aside by reservations for batches added in parts (so other batches cannot take the room in
 * between). Both stores keep their cap with it.
 */
export class MemoryCap {
  used = 0;
  reserved = 0;

  constructor(readonly maxBytes: number) {}

  /** Sets aside `bytes`; throws StoreFullError (nothing set aside) when they do not fit. */
  reserve(bytes: number): StoreReservation {
    if (bytes > 0 && this.used + this.reserved + bytes > this.maxBytes) {
      throw new StoreFullError(bytes, this.used + this.reserved, this.maxBytes);
    }
    this.reserved += bytes;
    const reservation: MutableReservation = {
      remaining: bytes,
      release: () => {
        this.reserved -= reservation.remaining;
        reservation.remaining = 0;
      },
    };
    return reservation;
  }

  /** Room for a batch: what is free, plus what its reservation set aside. */
  room(reservation?: StoreReservation): number {
    return this.maxBytes - (this.used + this.reserved - (reservation?.remaining ?? 0));
  }

  /** Throws StoreFullError unless `needed` bytes fit in the batch's room. */
  check(needed: number, reservation?: StoreReservation): void {
    const own = reservation?.remaining ?? 0;
    if (needed > 0 && needed > this.room(reservation)) throw new StoreFullError(needed - own, this.used + this.reserved - own, this.maxBytes);
  }

  /** Counts `bytes` as used, drawn first from the batch's reservation. */
  take(bytes: number, reservation?: StoreReservation): void {
    if (reservation !== undefined) {
      const drawn = Math.min(reservation.remaining, bytes);
      (reservation as MutableReservation).remaining -= drawn;
      this.reserved -= drawn;
    }
    this.used += bytes;
  }
}
