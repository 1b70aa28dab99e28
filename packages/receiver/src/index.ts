export { traceServiceDefinition } from './grpc-server.js';
export type { ReceiverLimits } from './limits.js';
export { defaultLimits, ReceiverOptionsError, resolveLimits } from './limits.js';
export type { RunSummaryJson } from './query-api.js';
export type { Receiver, ReceiverOptions } from './receiver.js';
export { ReceiverStartError, startReceiver } from './receiver.js';
export type { CheckCaller, CheckRecord } from './check-api.js';
export type { CloseOptions, CloseResult } from './run-end.js';
export { OPEN_SPANS_LIMITS } from './run-api.js';
