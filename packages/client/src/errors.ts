/** The receiver could not be reached at all (wrong URL, not started, network down). */
export class ReceiverUnreachableError extends Error {
  readonly code = 'RECEIVER_UNREACHABLE';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach the tracecheck receiver at ${url}: ${(cause as Error)?.message ?? String(cause)}${hint(cause)}`, { cause });
    this.name = 'ReceiverUnreachableError';
  }
}

function hint(cause: unknown): string {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNREFUSED' ? ' (connection refused: is `tracecheck receive` running, and is TRACECHECK_URL right?)' : '';
}

/** The receiver answered with an error status; `body` holds its structured error when it sent one. */
export class ReceiverHttpError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ReceiverHttpError';
    this.code = (body as { error?: { code?: string } })?.error?.code ?? `HTTP_${status}`;
  }
}

/** No receiver URL was given and `TRACECHECK_URL` is not set. */
export class MissingUrlError extends Error {
  readonly code = 'MISSING_URL';
  constructor() {
    super('no receiver URL: pass `url` or set TRACECHECK_URL (e.g. http://127.0.0.1:4318)');
    this.name = 'MissingUrlError';
  }
}
