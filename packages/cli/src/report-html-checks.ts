import { escapeAttr, escapeText } from './report-escape.js';
import { type ReportCheck, spanRefs } from './report-checks.js';
import { spanKey } from './report-html-runs.js';

/** The spans listed under a check; the rest are counted (the verdict JSON in report.json has them all). */
const MAX_REFS = 12;

const BADGE = { overturned: 'OVERTURNED', failed: 'FAILED', passed: 'PASSED' } as const;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;

function refs(c: ReportCheck, rowIds: ReadonlyMap<string, string>): string {
  const list = spanRefs(c);
  if (list.length === 0) return '';
  const items = list.slice(0, MAX_REFS).map((s) => {
    const row = rowIds.get(spanKey(c.record.run, s.traceId, s.spanId));
    const name = escapeText(s.name);
    const link = row === undefined ? name : `<a href="#${row}">${name}</a>`;
    const svc = s.service === undefined ? '' : ` <span class="muted">(svc ${escapeText(s.service)})</span>`;
    const detail = s.detail === undefined ? '' : ` — ${escapeText(s.detail)}`;
    return `<li><span class="role">${escapeText(s.role)}</span>: ${link}${svc} <span class="mono muted">span ${escapeText(s.spanId)}</span>${detail}</li>`;
  });
  const more = list.length > MAX_REFS ? `<li class="muted">and ${list.length - MAX_REFS} more (report.json has them)</li>` : '';
  return `<ul class="refs">${items.join('')}${more}</ul>`;
}

function check(c: ReportCheck, runAnchor: (runId: string) => string | undefined, rowIds: ReadonlyMap<string, string>): string {
  const r = c.record;
  const anchor = runAnchor(r.run);
  const run = anchor === undefined ? `<code>${escapeText(r.run)}</code> (no spans)` : `<a href="#${anchor}"><code>${escapeText(r.run)}</code></a>`;
  const where = c.location === undefined ? '' : ` · at <code>${escapeText(c.location)}</code>`;
  const test = r.caller?.test === undefined ? '' : ` · test “${escapeText(r.caller.test)}”`;
  const meta = `run ${run}${where}${test} · ${escapeText(r.reason)} after ${seconds(r.waitedMs)}`;
  const open = c.status === 'passed' ? '' : ' open';
  const out = [
    `<article class="check ${c.status}" id="check-${r.id}" data-status="${c.status}">`,
    `<h3><span class="badge">${BADGE[c.status]}</span> <span class="muted">#${r.id}</span> <code class="assertion">${escapeText(r.assertion)}</code></h3>`,
    `<p class="meta">${meta}</p>`,
  ];
  if (c.overturnSummary !== undefined) {
    out.push(`<p class="overturn-summary">${escapeText(c.overturnSummary)}</p>`);
    out.push(`<details open><summary>Why it was overturned</summary><pre class="message">${escapeText(c.message)}</pre></details>`);
    out.push(`<details><summary>The verdict when it passed</summary><pre>${escapeText(r.message)}</pre></details>`);
  } else {
    out.push(`<details${open}><summary>Verdict</summary><pre class="message">${escapeText(r.message)}</pre></details>`);
  }
  out.push(refs(c, rowIds));
  if (r.warnings.length > 0) out.push(`<ul class="warnings">${r.warnings.map((w) => `<li>${escapeText(w)}</li>`).join('')}</ul>`);
  if (c.evidence !== undefined) out.push(`<p class="muted">Evidence: <a href="${escapeAttr(c.evidence)}">${escapeText(c.evidence)}</a></p>`);
  out.push('</article>');
  return out.filter((s) => s !== '').join('\n');
}

/** The checks in report order (overturned, failed, passed), each with its verdict and the spans it names. */
export function renderChecks(checks: readonly ReportCheck[], runAnchor: (runId: string) => string | undefined, rowIds: ReadonlyMap<string, string>): string {
  if (checks.length === 0) return '<p class="muted">No check was made in this run.</p>';
  return checks.map((c) => check(c, runAnchor, rowIds)).join('\n');
}
