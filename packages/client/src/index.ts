export type { CheckOptions, CheckVerdict, ClientOptions, RunInfo } from './client.js';
export { CheckFailedError, TracecheckClient } from './client.js';
export { MissingUrlError, ReceiverHttpError, ReceiverUnreachableError } from './errors.js';
