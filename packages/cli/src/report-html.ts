import { escapeText, jsonForScript } from './report-escape.js';
import type { ReportCheck } from './report-checks.js';
import { renderChecks } from './report-html-checks.js';
import { type Highlight, type HtmlRun, renderRuns, spanKey } from './report-html-runs.js';
import { reportCss, reportJs } from './report-html-assets.js';
import { spanRefs } from './report-checks.js';
import type { Coverage } from './report-coverage.js';

export interface HtmlReport {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly commandExitCode: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly runs: readonly HtmlRun[];
  /** In report order. */
  readonly checks: readonly ReportCheck[];
  readonly coverage?: Coverage;
}

/** The effect coverage table: unguarded effects first. */
function renderCoverage(c: Coverage | undefined): string {
  if (c === undefined || c.suite.length === 0) return '<p class="muted">No effects were seen.</p>';
  const rows = c.suite
    .map((e) => {
      const guarded = e.checked > 0 || e.snapshotted > 0;
      const what = guarded ? [e.checked > 0 ? `checked ${e.checked}×` : '', e.snapshotted > 0 ? `snapshotted ${e.snapshotted}×` : ''].filter(Boolean).join(', ') : 'asserted nowhere';
      return `<tr class="${guarded ? 'guarded' : 'unguarded'}"><td><code>${escapeText(e.effect)}</code></td><td>${e.seen}×</td><td>${escapeText(what)}</td></tr>`;
    })
    .join('\n');
  const open = c.suite.filter((e) => e.checked === 0 && e.snapshotted === 0).length;
  return `<p id="coverage-summary">${c.suite.length - open} of ${c.suite.length} effects guarded by a check or a snapshot${open > 0 ? `; ${open} asserted nowhere` : ''}.</p>
<table class="coverage" id="coverage"><thead><tr><th>Effect</th><th>Seen</th><th>Guarded by</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/** A command line as a shell would take it back (single quotes where needed). */
function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The spans each failed or overturned check names, by spanKey. */
function highlightsOf(checks: readonly ReportCheck[]): Map<string, Highlight[]> {
  const out = new Map<string, Highlight[]>();
  for (const c of checks) {
    if (c.status === 'passed') continue;
    for (const s of spanRefs(c)) {
      const key = spanKey(c.record.run, s.traceId, s.spanId);
      const list = out.get(key) ?? [];
      if (!list.some((h) => h.checkId === c.record.id && h.role === s.role)) list.push({ checkId: c.record.id, role: s.role });
      out.set(key, list);
    }
  }
  return out;
}

/**
 * index.html: one self-contained page. A summary, the checks (overturned first, then failed, then
 * passed) with their verdicts, and each run's trace waterfall where the spans failed checks point at
 * are highlighted. All of it reads without JavaScript; the inline script adds a span's details
 * (attributes, payload, events, links, resource) when its row is clicked.
 */
export function renderHtml(r: HtmlReport): string {
  const count = (s: ReportCheck['status']): number => r.checks.filter((c) => c.status === s).length;
  const [passed, failed, overturned] = [count('passed'), count('failed'), count('overturned')];
  const runs = renderRuns(r.runs, highlightsOf(r.checks));
  const runIndex = new Map(r.runs.map((run, i) => [run.id, `run-${i}`]));
  const ok = r.exitCode === 0;
  const why =
    r.exitCode !== r.commandExitCode
      ? ` (the command exited ${r.commandExitCode}; a check that had passed was overturned)`
      : ok && failed > 0
        ? ` (the command exited 0 although ${failed} check${failed === 1 ? '' : 's'} failed)`
        : '';
  const spans = r.runs.reduce((n, run) => n + run.spans.length, 0);
  const title = `tracecheck: ${ok ? 'passed' : 'failed'} · ${shellLine(r.command)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
<style>${reportCss}</style>
</head>
<body>
<header>
<h1>tracecheck run report</h1>
<p><span class="outcome ${ok ? 'ok' : 'bad'}" id="outcome">${ok ? 'PASSED' : 'FAILED'}: exit code ${r.exitCode}</span>${escapeText(why)}</p>
<dl class="summary">
<dt>Command</dt><dd><code id="command">${escapeText(shellLine(r.command))}</code></dd>
<dt>Exit code</dt><dd id="exit-code">${r.exitCode} (command: ${r.commandExitCode})</dd>
<dt>Started</dt><dd>${new Date(r.startedAt).toISOString()}, took ${((r.endedAt - r.startedAt) / 1000).toFixed(1)}s</dd>
<dt>Runs</dt><dd id="runs-count">${r.runs.length} (${spans} span${spans === 1 ? '' : 's'})</dd>
<dt>Checks</dt><dd id="checks-count">${r.checks.length}: <span class="count passed">${passed} passed</span>, <span class="count failed">${failed} failed</span>, <span class="count overturned">${overturned} overturned</span></dd>
<dt>Files</dt><dd><a href="report.json">report.json</a> · <a href="junit.xml">junit.xml</a> · runs/ (each run's spans, for <code>tracecheck check --file</code>)${failed + overturned > 0 ? ' · evidence/ (a text file per failed check)' : ''}</dd>
</dl>
</header>
<main>
<h2>Checks</h2>
${renderChecks(r.checks, (id) => runIndex.get(id), runs.rowIds)}
<h2>Effect coverage</h2>
${renderCoverage(r.coverage)}
<h2>Runs</h2>
<p class="legend muted"><span><span class="tag">match #N</span> <span class="tag">near miss #N</span> a span that failed check N matched or nearly matched</span><span><span class="tag late">overturned #N</span> the span that overturned check N's pass</span></p>
<noscript><p class="muted">Clicking a span shows its details with JavaScript on; without it, every span is in the run files.</p></noscript>
${r.runs.length === 0 ? '<p class="muted">No span reached the receiver.</p>' : runs.html}
</main>
<script type="application/json" id="tc-data">${jsonForScript({ runs: runs.data })}</script>
<script>${reportJs}</script>
</body>
</html>
`;
}
