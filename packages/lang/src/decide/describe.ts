import type { Span } from '@tracecheck/model';
import { serviceName } from '../eval/summary.js';

/** A span named for a one-line explanation: `` `orders.publish` (svc api) ``. */
export function describeSpanShort(span: Span): string {
  const svc = serviceName(span);
  return `\`${span.name}\`${svc === undefined ? '' : ` (svc ${svc})`}`;
}
