/*
 * Buffers reused across requests. A fresh ArrayBuffer is memory the process has not touched yet:
 * each of its pages is a page fault on first write, and every buffer counts towards the external
 * memory whose growth makes V8 run a full garbage collection. A receiver made several per request
 * (the body as read, the transcoder's output, the skim's row columns) that were garbage once the
 * store had copied what it keeps; taking them from a pool instead makes neither.
 *
 * Only buffers handed out by a pool and not given back yet can be given back to it, once: giving
 * back a buffer twice, or one made elsewhere, does nothing. A pool keeps at most `maxIdle` buffers
 * of at most `maxBufferBytes` each; larger ones are left to the garbage collector.
 */
export class BufferPool {
  private readonly idle: ArrayBuffer[] = [];
  private readonly handedOut = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly maxIdle: number,
    readonly maxBufferBytes: number,
  ) {}

  /**
   * A buffer of at least `bytes`: an idle one of at most twice that size when there is one, else a
   * new one of exactly `bytes`. With `zeroed`, a reused buffer is zeroed as a new one is.
   */
  take(bytes: number, zeroed: boolean): ArrayBuffer {
    const idle = this.idle;
    let buffer: ArrayBuffer | undefined;
    for (let i = 0; i < idle.length; i++) {
      const b = idle[i]!;
      if (b.byteLength >= bytes && b.byteLength <= 2 * bytes) {
        idle[i] = idle[idle.length - 1]!;
        idle.pop();
        if (zeroed) new Uint8Array(b).fill(0);
        buffer = b;
        break;
      }
    }
    buffer ??= new ArrayBuffer(bytes);
    this.handedOut.add(buffer);
    return buffer;
  }

  /** Gives back a buffer from `take` that nobody reads any more. */
  give(buffer: ArrayBufferLike): void {
    if (!this.handedOut.delete(buffer) || !(buffer instanceof ArrayBuffer) || buffer.byteLength > this.maxBufferBytes) return;
    // The oldest goes first: the sizes of recent requests are the likeliest to come again.
    if (this.idle.length === this.maxIdle) this.idle.shift();
    this.idle.push(buffer);
  }

  /** Bytes the idle buffers hold. */
  get idleBytes(): number {
    return this.idle.reduce((n, b) => n + b.byteLength, 0);
  }
}
