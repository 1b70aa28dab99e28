/**
 * A service's output, bounded: the newest `keepBytes` of stdout and stderr as they arrived, each
 * chunk with its arrival time, so a failing test can be shown what was logged while it ran.
 */

interface Chunk {
  readonly at: number;
  readonly text: string;
}

export class LogRing {
  private chunks: Chunk[] = [];
  private bytes = 0;
  /** Arrival time of the newest output dropped to stay within the bound. */
  private droppedAt: number | undefined;

  constructor(private readonly keepBytes: number) {}

  push(text: string, at = Date.now()): void {
    if (text === '') return;
    const cut = text.length > this.keepBytes ? text.slice(text.length - this.keepBytes) : text;
    if (cut !== text) this.droppedAt = at;
    this.chunks.push({ at, text: cut });
    this.bytes += cut.length;
    while (this.bytes > this.keepBytes && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const over = this.bytes - this.keepBytes;
      this.droppedAt = first.at;
      if (first.text.length <= over) {
        this.chunks.shift();
        this.bytes -= first.text.length;
      } else {
        this.chunks[0] = { at: first.at, text: first.text.slice(over) };
        this.bytes -= over;
      }
    }
  }

  /**
   * What was logged since `since` (ms since the epoch; 0 for everything kept), at most its last
   * `maxBytes` characters, starting at a line boundary when cut. `cut` says whether anything
   * logged in that window is missing from the text.
   */
  tail(since: number, maxBytes: number): { text: string; cut: boolean } {
    const parts: string[] = [];
    let size = 0;
    let cut = false;
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i]!;
      if (c.at < since) break;
      if (size + c.text.length > maxBytes) {
        parts.push(c.text.slice(c.text.length - (maxBytes - size)));
        cut = true;
        break;
      }
      parts.push(c.text);
      size += c.text.length;
      if (i === 0 && this.droppedAt !== undefined && this.droppedAt >= since) cut = true;
    }
    let text = parts.reverse().join('');
    if (cut) {
      const nl = text.indexOf('\n');
      if (nl >= 0 && nl < text.length - 1) text = text.slice(nl + 1);
    }
    return { text, cut };
  }
}
