/**
 * Strings that repeat across spans (span names, run ids) held once, by number, with a count of the
 * rows using each: a string no stored span uses any more is forgotten, so a sender naming every span
 * differently costs memory only while those spans are stored.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly strings: (string | undefined)[] = [];
  private readonly uses: number[] = [];
  private readonly free: number[] = [];

  /** True when the last `acquire` saw its string for the first time (since it was last forgotten). */
  fresh = false;

  /** The string's number, counting one more use. */
  acquire(s: string): number {
    let id = this.ids.get(s);
    this.fresh = id === undefined;
    if (id === undefined) {
      id = this.free.pop() ?? this.strings.length;
      this.ids.set(s, id);
      this.strings[id] = s;
      this.uses[id] = 0;
    }
    this.uses[id]!++;
    return id;
  }

  /** Counts one use less; the last one forgets the string (and answers true). */
  release(id: number): boolean {
    if (--this.uses[id]! > 0) return false;
    this.ids.delete(this.strings[id]!);
    this.strings[id] = undefined;
    this.free.push(id);
    return true;
  }

  /** The number of a string in use, or -1. */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  get(id: number): string {
    return this.strings[id]!;
  }
}
