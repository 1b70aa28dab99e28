export { ColumnarStore, ROW_BYTES } from './columnar-store.js';
export type { ColumnarStoreOptions, ReceiverStore, SkimSink } from './columnar-store.js';
export { SpanView } from './view.js';
export { RowGraph } from './row-graph.js';
export { TRACE_BYTES } from './traces.js';
export { COMPACT_BELOW, COMPACT_MIN_BYTES } from './arenas.js';
