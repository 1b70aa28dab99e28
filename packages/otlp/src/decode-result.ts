import type { Span } from '@tracecheck/model';
import { anyLimited, DEFAULT_DECODE_LIMITS, type DecodeLimits, describeLimited, type LimitCounts, noLimitCounts } from './limits.js';

/**
 * A well-formed request's outcome. Spans with unusable ids are left out and counted, so the
 * receiver can answer with OTLP partial success (`rejectedSpans`, `errorMessage`) and keep the rest.
 */
export interface DecodeResult {
  spans: Span[];
  /** Spans left out of `spans`; 0 when all were accepted. */
  rejectedSpans: number;
  /**
   * Why spans were rejected, or (with none rejected) what the decode limits dropped or truncated,
   * for ExportTracePartialSuccess.error_message; '' when nothing was.
   */
  errorMessage: string;
  /** What the decode limits dropped or truncated; absent when nothing was. */
  limited?: LimitCounts;
}

/** The path of a span in the request, as OTLP/JSON would spell it. */
export function spanPath(resourceIndex: number, scopeIndex: number, spanIndex: number): string {
  return `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}].spans[${spanIndex}]`;
}

/** Counts rejected spans while decoding; keeps the first reason for the message. */
export class Rejections {
  count = 0;
  private first = '';

  reject(path: string, reason: string): void {
    if (this.count === 0) this.first = `${path}: ${reason}`;
    this.count++;
  }

  result(spans: Span[], limited: LimitCounts = noLimitCounts(), limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodeResult {
    const warning = anyLimited(limited) ? describeLimited(limited, limits) : '';
    const extra = warning === '' ? {} : { limited };
    if (this.count === 0) return { spans, rejectedSpans: 0, errorMessage: warning, ...extra };
    const errorMessage =
      this.count === 1
        ? `rejected 1 span with invalid ids: ${this.first}`
        : `rejected ${this.count} spans with invalid ids; first: ${this.first}`;
    return { spans, rejectedSpans: this.count, errorMessage: warning === '' ? errorMessage : `${errorMessage}; ${warning}`, ...extra };
  }
}
