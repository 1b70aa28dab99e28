import type { IncomingMessage } from 'node:http';
import type { BufferPool } from '@tracecheck/otlp';
import { createGunzip, createInflate } from 'node:zlib';
import { HttpError, RequestAbortedError } from './http-error.js';
import type { InFlightBudget } from './in-flight.js';


/** A body declared this long or shorter is read straight into one buffer of its size, not joined from chunks. */
export const DIRECT_READ_MAX_BYTES = 2 << 20;
/** Body buffers a receiver keeps for reuse (at most DIRECT_READ_MAX_BYTES each: 8 MiB in all). */
export const BODY_POOL_BUFFERS = 4;

/**
 * Reads a request body of at most `maxBytes`. A declared `Content-Length` over the limit is refused
 * before reading anything; an undeclared one is refused as soon as it passes the limit, and the
 * request is left paused: the rest is never read, let alone buffered (the caller answers 413 and
 * closes the connection). With a `budget`, the bytes read count against it until the caller
 * releases them (`budget.release(body.length)`), and a body that would exceed it is a 429.
 *
 * A body declared up to DIRECT_READ_MAX_BYTES long is copied into one buffer as it arrives, made
 * when its first bytes do (so a request that sends none holds nothing). With a `pool`, that buffer
 * is the pool's, for a body the caller does not keep: it gives it back (`pool.give(body.buffer)`)
 * once it is done with it.
 */
export function readBody(req: IncomingMessage, maxBytes: number, budget?: InFlightBudget, pool?: BufferPool): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.pause();
    return Promise.reject(tooLarge(declared, maxBytes));
  }
  const direct = Number.isInteger(declared) && declared > 0 && declared <= DIRECT_READ_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const gathered = new Gathered();
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
    };
    // On failure the bytes read so far go back to the budget; on success the caller releases them.
    const fail = (err: Error): void => {
      cleanup();
      req.pause();
      budget?.release(gathered.size);
      if (gathered.target !== undefined) pool?.give(gathered.target.buffer);
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      if (gathered.size + chunk.length > maxBytes) return fail(tooLarge(gathered.size + chunk.length, maxBytes));
      try {
        budget?.reserve(chunk.length);
      } catch (err) {
        return fail(err as Error);
      }
      if (gathered.size === 0 && direct) gathered.into(directBuffer(declared, pool));
      gathered.add(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(gathered.bytes());
    };
    const onAbort = (): void => fail(new RequestAbortedError());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/**
 * The buffer a body declared `size` long is read into, or undefined when the process cannot map one
 * now (many slow requests each holding one): the body is then gathered from its chunks, which are
 * in memory already, instead of failing the request or the process.
 */
function directBuffer(size: number, pool: BufferPool | undefined): Buffer | undefined {
  try {
    return pool === undefined ? Buffer.allocUnsafeSlow(size) : Buffer.from(pool.take(size, false));
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/**
 * Bytes gathered as they arrive: copied into `target` (a buffer sized from a declared length) while
 * they fit, else kept as chunks and joined at the end, so a body is held twice only when its
 * declared length was missing or wrong.
 */
class Gathered {
  size = 0;
  /** The buffer being filled, until the bytes outgrow it. */
  target: Buffer | undefined;
  private chunks: Buffer[] | undefined;

  /** Copies what arrives from now on into `buffer`, while it fits (none: chunks from the start). */
  into(buffer: Buffer | undefined): void {
    this.target = buffer;
  }

  add(chunk: Buffer): void {
    if (this.target !== undefined && this.size + chunk.length <= this.target.length) chunk.copy(this.target, this.size);
    else {
      // Longer than declared, or nothing declared: chunks instead.
      if (this.target !== undefined) {
        this.chunks = [this.target.subarray(0, this.size)];
        this.target = undefined;
      }
      (this.chunks ??= []).push(chunk);
    }
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return this.target !== undefined ? this.target.subarray(0, this.size) : Buffer.concat(this.chunks ?? [], this.size);
  }
}

function tooLarge(size: number, maxBytes: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `request body of ${size}+ bytes exceeds maxBodyBytes (${maxBytes})`);
}

/** The content codings accepted in `Content-Encoding`. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/** Parses `Content-Encoding`; a coding we cannot undo is a 415 (RFC 9110, 15.5.16). */
export function contentCoding(header: string | undefined): ContentCoding {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  throw new HttpError(415, 'UNSUPPORTED_ENCODING', `unsupported Content-Encoding "${header}" (use gzip, deflate or none)`);
}

/**
 * Undoes the content coding, producing at most `maxBytes`: decompression stops there, so a gzip
 * bomb costs `maxBytes` of memory, not its expanded size. Over the limit is 413, the same answer as
 * an oversized plain body: the data may be well-formed, it is only too big. Corrupt compressed data
 * is 400. The output is written into one buffer sized from gzip's trailer (ISIZE) when it is within
 * the limit, so a large body is never held twice (as chunks, then joined); with `budget`, that size
 * (else what was produced) is reserved there first, and `held` says how much to release.
 */
export async function decompress(body: Buffer, coding: ContentCoding, maxBytes: number, budget?: InFlightBudget): Promise<{ data: Buffer; held: number }> {
  if (coding === 'identity') return { data: body, held: 0 };
  let held = 0;
  const declared = coding === 'gzip' && body.length >= 18 ? body.readUInt32LE(body.length - 4) : 0;
  const gathered = new Gathered();
  if (declared > 0 && declared <= maxBytes) {
    budget?.reserve(declared);
    held = declared;
    gathered.into(directBuffer(declared, undefined));
  }
  try {
    const data = await new Promise<Buffer>((resolve, reject) => {
      const z = coding === 'gzip' ? createGunzip() : createInflate();
      z.on('data', (c: Buffer) => {
        if (gathered.size + c.length > maxBytes) {
          z.destroy();
          reject(new HttpError(413, 'DECOMPRESSED_TOO_LARGE', `decompressed request body exceeds maxDecompressedBytes (${maxBytes})`));
          return;
        }
        // The trailer may under-state the size (or be absent): then chunks are collected instead.
        gathered.add(c);
      });
      z.on('end', () => resolve(gathered.bytes()));
      z.on('error', (err) => reject(new HttpError(400, 'BAD_COMPRESSION', `request body is not valid ${coding} data: ${err.message}`)));
      z.end(body);
    });
    if (data.length > held) {
      budget?.reserve(data.length - held);
      held = data.length;
    }
    return { data, held };
  } catch (err) {
    budget?.release(held);
    throw err;
  }
}
