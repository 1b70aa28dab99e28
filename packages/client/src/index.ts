export type { CheckOptions, CheckVerdict, ClientOptions, CloseRunOptions, CloseRunResult, OverturnedCheck, RunInfo, WaitedFor } from './client.js';
export { CheckFailedError, TracecheckClient } from './client.js';
export type { AssertionErrorBody } from './assertion-error.js';
export { AssertionSyntaxError } from './assertion-error.js';
export { MissingUrlError, ReceiverHttpError, ReceiverUnreachableError } from './errors.js';
export type { RunHeaders } from './run-headers.js';
export { runHeaders } from './run-headers.js';
export { newRunId, TestRun } from './test-run.js';
export type { SettledPass } from './test-run.js';
