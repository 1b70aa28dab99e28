import { emptyAttributes, RUN_ID_ATTRIBUTE, taggedRunId } from '@tracecheck/model';
import type { InstrumentationScope, Resource, Span } from '@tracecheck/model';
import { spanPath } from '../decode-result.js';
import { ReaderDecoder } from '../reader-decoder.js';
import { spanKindOf, statusCodeOf } from '../enums.js';
import { invalidIdReason } from '../ids.js';
import { MAX_FIELDS_PER_MESSAGE } from '../wire-reader.js';
import { Columns, SKIM_ROW_BYTES } from './columns.js';
import { storeIdWords, wordsOfHex } from './id-words.js';
import type { SkimResult } from './skim-result.js';
import { COMPLEX } from './scan-reads.js';
import { RUN_ABSENT, RUN_STRING, SpanScan } from './span-scan.js';

/*
 * The skim: ReaderDecoder's walk of the request (resources and scopes decoded whole, by the same
 * code) with its `span` replaced by SpanScan's validating pass, which builds no objects. A span the
 * pass cannot take exactly (near a decode limit) is read again from its start by the full decoder's
 * readSpan, which applies the limits, and the row is marked complex. Limits change what is read
 * (over-limit regions are stepped over unread), so going back before the first one keeps the pass
 * from checking more than the full decoder does.
 */

export class SkimDecoder extends ReaderDecoder {
  readonly columns: Columns;
  private readonly scanner: SpanScan;
  private readonly resources: Resource[] = [];
  private readonly scopes: InstrumentationScope[] = [];

  /** `yieldEvery`: spans between the yields of `request` (Infinity when nothing pauses). */
  constructor(
    reader: ConstructorParameters<typeof ReaderDecoder>[0],
    options: ConstructorParameters<typeof ReaderDecoder>[1],
    expectedRows: number,
    yieldEvery: number,
  ) {
    super(reader, options);
    this.yieldEvery = yieldEvery;
    this.columns = new Columns(expectedRows);
    this.scanner = new SpanScan(reader, this.buf, this.view, this.limits, this.columns);
  }

  /** Charges the budget for keeping the request's bytes, before anything is read. */
  chargeArena(bytes: number): void {
    this.meter.spend(bytes);
    this.meter.flush();
  }

  protected override span(resource: Resource, scope: InstrumentationScope, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const r = this.r;
    const start = r.pos;
    const end = r.len;
    const links = this.columns.links;
    // The pass leaves the Reader wherever it last used it.
    const took = this.scanned(start, end);
    r.len = end;
    if (took) {
      r.pos = end;
      this.scannedRow(start, end, resource, scope, rsIndex, ssIndex, spanIndex, links);
      return;
    }
    r.pos = start;
    this.columns.links = links;
    this.rowOfSpan(this.readSpan(resource, scope), start, end, rsIndex, ssIndex, spanIndex);
  }

  /** Whether the pass took the span at [start, end); false when it needs the full decoder. */
  private scanned(start: number, end: number): boolean {
    // The pass does not count fields (nextTag's MAX_FIELDS_PER_MESSAGE): every field takes at least
    // two bytes, so a span short enough cannot reach the count; a longer one is the full decoder's.
    if (this.fieldsSincePause + (end - start) / 2 > MAX_FIELDS_PER_MESSAGE) return false;
    try {
      this.scanner.scan(start, end, this.depth);
      return true;
    } catch (e) {
      if (e !== COMPLEX) throw e;
      return false;
    }
  }

  /** A row from the pass's notes, unless the span's ids make it unusable (then rejected). */
  private scannedRow(start: number, end: number, resource: Resource, scope: InstrumentationScope, rsIndex: number, ssIndex: number, spanIndex: number, links: number): void {
    const s = this.scanner;
    const view = this.view;
    if (!(s.traceLen === 16 && s.idLen === 8 && (s.parentLen === 0 || s.parentLen === 8) && nonZero(view, s.trace, 4) && nonZero(view, s.id, 2))) {
      const hex = (at: number, len: number): string => this.buf.toString('hex', at, at + len);
      const reason = invalidIdReason(hex(s.trace, s.traceLen), hex(s.id, s.idLen), hex(s.parent, s.parentLen));
      if (reason !== undefined) {
        this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
        this.columns.links = links;
        return;
      }
    }
    const c = this.columns;
    const row = this.addRow(start, end, resource, scope);
    const rows = c.rows;
    storeIdWords(rows.ids, row * 8, view, s.trace, 4);
    storeIdWords(rows.ids, row * 8 + 4, view, s.id, 2);
    if (s.parentLen === 8) storeIdWords(rows.ids, row * 8 + 6, view, s.parent, 2);
    c.setTimes(row, view, s.startTime, s.endTime);
    rows.kind[row] = spanKindOf(s.kind);
    rows.statusCode[row] = statusCodeOf(s.statusCode);
    rows.flags[row] = s.flags;
    const name = s.nameStart < 0 ? '' : this.cachedString(s.nameStart, s.nameEnd);
    c.names.push(name);
    if (s.run === RUN_ABSENT) {
      c.runTags.push(undefined);
      rows.inherits[row] = 1;
    } else {
      // taggedRunId's rule: the span's own attribute decides once present; only a non-empty string tags.
      c.runTags.push(s.run === RUN_STRING && s.runEnd > s.runStart ? this.cachedString(s.runStart, s.runEnd) : undefined);
    }
    this.meter.spend(SKIM_ROW_BYTES + name.length);
  }

  /** A row from a span the full decoder read (near a limit): its columns from the model span. */
  private rowOfSpan(span: Span, start: number, end: number, rsIndex: number, ssIndex: number, spanIndex: number): void {
    const reason = invalidIdReason(span.traceId, span.spanId, span.parentSpanId);
    if (reason !== undefined) {
      this.rejections.reject(spanPath(rsIndex, ssIndex, spanIndex), reason);
      return;
    }
    const c = this.columns;
    for (const link of span.links) {
      if (link.traceId.length === 32 && link.spanId.length === 16) {
        const at = c.linkWordsFor();
        wordsOfHex(link.traceId, 4, c.linkIds, at);
        wordsOfHex(link.spanId, 2, c.linkIds, at + 4);
      }
    }
    const row = this.addRow(start, end, span.resource, span.scope);
    const rows = c.rows;
    wordsOfHex(span.traceId, 4, rows.ids, row * 8);
    wordsOfHex(span.spanId, 2, rows.ids, row * 8 + 4);
    if (span.parentSpanId !== '') wordsOfHex(span.parentSpanId, 2, rows.ids, row * 8 + 6);
    rows.startNanos[row] = span.startTimeUnixNano;
    rows.endNanos[row] = span.endTimeUnixNano;
    rows.kind[row] = span.kind;
    rows.statusCode[row] = span.status.code;
    rows.flags[row] = span.flags;
    rows.complex[row] = 1;
    c.names.push(span.name);
    // Its resource may still change (a Resource field after the spans is merged in): see skimResult.
    const own = span.attributes.has(RUN_ID_ATTRIBUTE);
    c.runTags.push(own ? taggedRunId(span) : undefined);
    if (!own) rows.inherits[row] = 1;
    this.meter.spend(SKIM_ROW_BYTES + span.name.length);
    this.spend(0);
  }

  private addRow(start: number, end: number, resource: Resource, scope: InstrumentationScope): number {
    if (this.resources[this.resources.length - 1] !== resource) this.resources.push(resource);
    if (this.scopes[this.scopes.length - 1] !== scope) this.scopes.push(scope);
    return this.columns.addRow(start, end, this.resources.length - 1, this.scopes.length - 1);
  }

  /** The skim's result, once the request is read; `bytes` are the request's (owned) bytes. */
  skimResult(bytes: Uint8Array): SkimResult {
    this.meter.flush();
    this.counts.truncatedValues = this.truncatedValues;
    const { rejectedSpans, errorMessage, limited } = this.rejections.result([], this.counts, this.limits);
    // Resources are final only now (a Resource field may follow its spans): resolve inherited tags.
    const resourceTags = this.resources.map((resource) => taggedRunId({ attributes: emptyAttributes, resource } as Span));
    return {
      bytes,
      ...this.columns.finish(resourceTags),
      resources: this.resources,
      scopes: this.scopes,
      rejectedSpans,
      errorMessage,
      ...(limited === undefined ? {} : { limited }),
    };
  }
}

/** Whether any of `words` 32-bit words from `at` is not zero. */
function nonZero(view: DataView, at: number, words: number): boolean {
  for (let w = 0; w < words; w++) if (view.getUint32(at + 4 * w) !== 0) return true;
  return false;
}
