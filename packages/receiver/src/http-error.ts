/**
 * A request the HTTP side refuses, with the status it answers. Thrown by the request readers and
 * turned into a response in one place (the OTLP handler or the router), never escaping the server.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `Retry-After` or `Allow`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The client went away before its request body was complete; there is no one to answer. */
export class RequestAbortedError extends Error {
  readonly code = 'REQUEST_ABORTED';
  constructor() {
    super('the client closed the connection before the request body was complete');
    this.name = 'RequestAbortedError';
  }
}
