import { estimateAttributesBytes, type InstrumentationScope, type Resource } from '@tracecheck/model';
import type { Rows } from './rows.js';

/**
 * What views read of an arena: never changed, only replaced (compaction makes a new one), so a view
 * made before a compaction keeps reading the bytes its ranges point into.
 */
export interface ArenaData {
  readonly bytes: Uint8Array;
  readonly resources: readonly Resource[];
  readonly scopes: readonly InstrumentationScope[];
}

/** A request's bytes, kept for the spans stored from it, with the resources and scopes they share. */
export interface Arena {
  /** Unique among the arenas a store ever made (a request added in parts finds its arena by it). */
  readonly serial: number;
  data: ArenaData;
  /** Rows still using the arena. */
  live: number;
  /** Bytes of the live rows' Span messages. */
  liveBytes: number;
  /** What the arena is charged against the store's cap: its bytes, and its resources and scopes decoded. */
  charge: number;
}

/** Compaction copies an arena's live spans out when they use less than this share of its bytes... */
export const COMPACT_BELOW = 0.25;
/** ...and the arena is at least this large (copying small ones saves too little). */
export const COMPACT_MIN_BYTES = 64 * 1024;

/** Bytes an arena over these bytes, resources and scopes is charged. */
export function arenaCharge(bytes: Uint8Array, resources: readonly Resource[], scopes: readonly InstrumentationScope[]): number {
  let n = bytes.byteLength + 64;
  for (const r of resources) n += 64 + estimateAttributesBytes(r.attributes);
  for (const s of scopes) n += 64 + s.name.length * 2 + s.version.length * 2 + estimateAttributesBytes(s.attributes);
  return n;
}

/** The store's arenas by slot. A slot is freed when its last row goes. */
export class Arenas {
  private readonly slots: (Arena | undefined)[] = [];
  private readonly freeSlots: number[] = [];

  add(arena: Arena): number {
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slot] = arena;
    return slot;
  }

  get(slot: number): Arena {
    return this.slots[slot]!;
  }

  /** The slot of the arena with this serial, if it is still there. */
  find(ref: { slot: number; serial: number } | undefined): number | undefined {
    return ref !== undefined && this.slots[ref.slot]?.serial === ref.serial ? ref.slot : undefined;
  }

  /** Frees a slot whose last row went; returns the charge to give back. */
  free(slot: number): number {
    const arena = this.slots[slot]!;
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    return arena.charge;
  }

  /**
   * Copies the live spans of each of `slots` that is mostly dead into a new, smaller arena and
   * points their rows at it. One pass over the rows serves every arena compacted. Returns the
   * bytes of charge given back.
   */
  compact(slots: Iterable<number>, rows: Rows, rowCount: number): number {
    const due = new Map<number, { arena: Arena; out: Uint8Array; at: number }>();
    for (const slot of slots) {
      const arena = this.slots[slot];
      if (arena === undefined || arena.live === 0) continue;
      if (arena.data.bytes.byteLength < COMPACT_MIN_BYTES || arena.liveBytes >= arena.data.bytes.byteLength * COMPACT_BELOW) continue;
      due.set(slot, { arena, out: new Uint8Array(arena.liveBytes), at: 0 });
    }
    if (due.size === 0) return 0;
    const { range } = rows;
    for (let row = 0; row < rowCount; row++) {
      const d = due.get(rows.arena[row]!);
      if (d === undefined) continue;
      const start = range[2 * row]!;
      const end = range[2 * row + 1]!;
      d.out.set(d.arena.data.bytes.subarray(start, end), d.at);
      range[2 * row] = d.at;
      range[2 * row + 1] = d.at + (end - start);
      d.at += end - start;
    }
    let saved = 0;
    for (const { arena, out } of due.values()) {
      saved += arena.data.bytes.byteLength - out.byteLength;
      arena.charge -= arena.data.bytes.byteLength - out.byteLength;
      arena.data = { ...arena.data, bytes: out };
    }
    return saved;
  }
}
