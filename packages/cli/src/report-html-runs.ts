import { formatNanos } from '@tracecheck/lang';
import type { JsonSpan } from '@tracecheck/model';
import { escapeAttr, escapeText } from './report-escape.js';
import type { SpanRef } from './report-checks.js';
import { durationText, serviceOf, spanDetails, type SpanDetails } from './report-span-details.js';
import { layoutWaterfall } from './report-waterfall.js';

/** Rows drawn per run, and in the whole page: a report of a huge run stays a page a browser opens. */
export const MAX_ROWS_PER_RUN = 2000;
export const MAX_ROWS_TOTAL = 20_000;

export interface HtmlRun {
  readonly id: string;
  readonly spans: readonly JsonSpan[];
  /** `runs/<id>.json` */
  readonly file: string;
}

/** A span that failed checks point at, with who points at it. */
export interface Highlight {
  readonly checkId: number;
  readonly role: SpanRef['role'];
}

export const spanKey = (runId: string, traceId: string, spanId: string): string => `${runId}\n${traceId}/${spanId}`;

export interface RenderedRuns {
  readonly html: string;
  /** The row element id of each drawn span, by spanKey. */
  readonly rowIds: ReadonlyMap<string, string>;
  /** What the script shows on click, per run index. */
  readonly data: { resources: [string, string][][]; spans: Record<number, SpanDetails> }[];
}

function tag(h: Highlight): string {
  const text = h.role === 'overturned by' ? `overturned #${h.checkId}` : `${h.role} #${h.checkId}`;
  return `<span class="tag${h.role === 'overturned by' ? ' late' : ''}">${escapeText(text)}</span>`;
}

/** Each run's waterfall: a row per span (a tree per trace), failed checks' spans highlighted. */
export function renderRuns(runs: readonly HtmlRun[], highlights: ReadonlyMap<string, readonly Highlight[]>): RenderedRuns {
  const rowIds = new Map<string, string>();
  const data: RenderedRuns['data'] = [];
  const parts: string[] = [];
  let budget = MAX_ROWS_TOTAL;
  runs.forEach((run, r) => {
    const hl = (s: JsonSpan): readonly Highlight[] | undefined => highlights.get(spanKey(run.id, s.traceId, s.spanId));
    const w = layoutWaterfall(run.spans, (s) => hl(s) !== undefined, Math.min(MAX_ROWS_PER_RUN, budget));
    budget -= w.shown;
    const href = run.file.split('/').map(encodeURIComponent).join('/');
    const file = `<a href="${escapeAttr(href)}">${escapeText(run.file)}</a>`;
    const traces = new Set(run.spans.map((s) => s.traceId)).size;
    parts.push(`<section class="run" id="run-${r}">`, `<h3>Run <code>${escapeText(run.id)}</code></h3>`);
    parts.push(`<p class="muted">${run.spans.length} span${run.spans.length === 1 ? '' : 's'} in ${traces} trace${traces === 1 ? '' : 's'} · all of them in ${file}</p>`);
    if (w.shown < w.total) {
      const hidden = w.highlightsHidden > 0 ? ` ${w.highlightsHidden} highlighted span${w.highlightsHidden === 1 ? ' is' : 's are'} among those not drawn.` : '';
      parts.push(`<p class="cap"><strong>Showing ${w.shown} of ${w.total} spans</strong> (at most ${MAX_ROWS_PER_RUN} rows per run, ${MAX_ROWS_TOTAL} in the report; traces with highlighted spans first).${hidden} The run file has every span.</p>`);
    }
    const details = spanDetails(w.traces.flatMap((t) => t.rows.map((row) => run.spans[row.index]!)));
    const byIndex: Record<number, SpanDetails> = {};
    let d = 0;
    if (w.shown > 0) {
      parts.push('<table class="waterfall"><colgroup><col class="c-name"><col class="c-svc"><col class="c-dur"><col class="c-tl"></colgroup>');
      parts.push('<thead><tr><th>Span</th><th>Service</th><th>Duration</th><th>Timeline (relative to its trace)</th></tr></thead>');
      for (const t of w.traces) {
        parts.push(`<tbody><tr class="trace"><th colspan="4">trace <span class="mono">${escapeText(t.traceId)}</span> · ${t.spanCount} span${t.spanCount === 1 ? '' : 's'} · ${escapeText(formatNanos(t.durationNs))}</th></tr>`);
        for (const row of t.rows) {
          const s = run.spans[row.index]!;
          byIndex[row.index] = details.spans[d++]!;
          const id = `s-${r}-${row.index}`;
          rowIds.set(spanKey(run.id, s.traceId, s.spanId), id);
          const marks = hl(s) ?? [];
          const cls = ['span', ...(s.status.code === 2 ? ['error'] : []), ...(marks.length > 0 ? ['hl', ...new Set(marks.map((m) => `hl-${m.role.replace(/ /g, '-')}`))] : [])].join(' ');
          const title = `${s.name} · ${s.spanId}`;
          parts.push(
            `<tr class="${cls}" id="${id}" data-run="${r}" data-span="${row.index}" data-span-id="${escapeAttr(s.spanId)}" tabindex="0" aria-expanded="false">` +
              `<td class="name" style="padding-left:${(0.4 + Math.min(row.depth, 40) * 1.1).toFixed(1)}em" title="${escapeAttr(title)}"><div class="cell"><span class="sname">${escapeText(s.name)}</span>` +
              `${row.orphan ? '<span class="orphan">(parent not in run)</span>' : ''}${marks.map(tag).join('')}</div></td>` +
              `<td class="svc">${escapeText(serviceOf(s))}</td><td class="dur">${escapeText(durationText(s))}</td>` +
              `<td class="tl"><div class="track"><div class="bar" style="left:${row.left.toFixed(2)}%;width:${row.width.toFixed(2)}%"></div></div></td></tr>`,
          );
        }
        parts.push('</tbody>');
      }
      parts.push('</table>');
    }
    parts.push('</section>');
    data.push({ resources: details.resources, spans: byIndex });
  });
  return { html: parts.join('\n'), rowIds, data };
}
