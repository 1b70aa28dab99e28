/**
 * index.html's inline style and script. The page is one file that works offline: no external URL,
 * no web font. The script only adds span details on click; everything else is plain HTML. It builds
 * the details with textContent (never innerHTML), so span data cannot inject markup.
 */

export const reportCss = `table.coverage{border-collapse:collapse;margin:.5em 0}table.coverage td,table.coverage th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}tr.unguarded td{color:#a40000;font-weight:600}

:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--over:#8250df;--hl:#fff8c5;--hl-line:#d4a72c;--bar:#0969da}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;margin:.4rem 0;max-height:32rem;overflow:auto}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}h3{font-size:1rem;margin:.2rem 0}h4{margin:.6rem 0 .2rem;font-size:.85rem;color:var(--muted)}
a{color:var(--bar)}.muted{color:var(--muted)}
.outcome{display:inline-block;font-weight:600;padding:.2rem .6rem;border-radius:6px;color:#fff}.outcome.ok{background:var(--pass)}.outcome.bad{background:var(--fail)}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.8rem 0}dl.summary dt{color:var(--muted)}dl.summary dd{margin:0}
.count{font-weight:600}.count.passed{color:var(--pass)}.count.failed{color:var(--fail)}.count.overturned{color:var(--over)}
.check{border:1px solid var(--line);border-left:5px solid var(--pass);border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}
.check.failed{border-left-color:var(--fail)}.check.overturned{border-left-color:var(--over);background:#fbf7ff}
.badge{display:inline-block;font-size:.75rem;font-weight:700;letter-spacing:.03em;padding:.05rem .45rem;border-radius:4px;color:#fff;background:var(--pass);vertical-align:1px}
.failed .badge{background:var(--fail)}.overturned .badge{background:var(--over)}
.meta{margin:.2rem 0;color:var(--muted)}.overturn-summary{font-weight:600;color:var(--over);margin:.3rem 0}
ul.refs{margin:.3rem 0;padding-left:1.2rem}ul.refs .role{font-weight:600}ul.warnings{color:#9a6700}
table.waterfall{width:100%;border-collapse:collapse;table-layout:fixed;margin:.5rem 0 1.5rem}
table.waterfall th,table.waterfall td{padding:.15rem .4rem;border-bottom:1px solid #eef1f4;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:middle}
table.waterfall thead th{text-align:left;color:var(--muted);font-weight:600}
col.c-name{width:38%}col.c-svc{width:14%}col.c-dur{width:8%}col.c-tl{width:40%}
tr.trace th{text-align:left;background:var(--soft);font-weight:600;padding:.35rem .4rem}
tr.span{cursor:pointer}tr.span:hover{background:#f0f6ff}tr.span:focus{outline:2px solid var(--bar);outline-offset:-2px}
tr.span.error .sname{color:var(--fail)}
tr.span.hl{background:var(--hl)}tr.span.hl td:first-child{box-shadow:inset 4px 0 var(--hl-line)}tr.span:target{background:#ffe58f}
td.name .cell{display:flex;align-items:center;min-width:0}td.name .sname{overflow:hidden;text-overflow:ellipsis;min-width:0}
.tag{flex:none;display:inline-block;font-size:.72rem;font-weight:600;padding:0 .35rem;border-radius:8px;margin-left:.35rem;background:#fff;border:1px solid var(--hl-line);color:#7d4e00}
.tag.late{border-color:var(--over);color:var(--over)}.orphan{flex:none;font-size:.72rem;color:var(--muted);margin-left:.3rem}
.track{position:relative;height:12px;background:#f3f5f7;border-radius:2px}
.bar{position:absolute;top:1px;height:10px;min-width:2px;border-radius:2px;background:var(--bar)}
tr.error .bar{background:var(--fail)}tr.hl .bar{background:var(--hl-line)}
tr.detail-row td{white-space:normal;background:#fafbfc;padding:.4rem .8rem .8rem;cursor:auto}
table.kv{border-collapse:collapse;width:100%;table-layout:fixed}table.kv th,table.kv td{border-bottom:1px solid #eef1f4;padding:.1rem .4rem;text-align:left;vertical-align:top;white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table.kv th{width:30%;color:var(--muted);font-weight:500}
.legend span{margin-right:1rem}
`;

export const reportJs = `
(function () {
  var data = JSON.parse(document.getElementById('tc-data').textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function section(title) {
    var s = el('section', 'd-sec');
    s.appendChild(el('h4', null, title));
    return s;
  }
  function kv(title, rows) {
    var s = section(title);
    if (!rows || rows.length === 0) { s.appendChild(el('p', 'muted', 'none')); return s; }
    var t = el('table', 'kv');
    rows.forEach(function (r) { var tr = el('tr'); tr.appendChild(el('th', null, r[0])); tr.appendChild(el('td', null, r[1])); t.appendChild(tr); });
    s.appendChild(t);
    return s;
  }
  function details(run, i) {
    var r = data.runs[run], d = r.spans[i], box = el('div', 'details');
    box.appendChild(kv('Span', d.h));
    box.appendChild(kv('Attributes', d.a));
    if (d.p !== undefined) { var p = section('effect.payload'); p.appendChild(el('pre', 'payload', d.p)); box.appendChild(p); }
    var ev = section('Events (' + d.e.length + ')');
    d.e.forEach(function (e) { ev.appendChild(kv(e[0] + '  ' + e[1], e[2])); });
    box.appendChild(ev);
    var ln = section('Links (' + d.l.length + ')');
    d.l.forEach(function (l) { ln.appendChild(kv('trace ' + l[0] + ' span ' + l[1], l[2])); });
    box.appendChild(ln);
    box.appendChild(kv('Resource', r.resources[d.r]));
    return box;
  }
  function toggle(row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains('detail-row')) { next.remove(); row.setAttribute('aria-expanded', 'false'); return; }
    var tr = el('tr', 'detail-row'), td = el('td');
    td.colSpan = 4;
    td.appendChild(details(row.getAttribute('data-run'), row.getAttribute('data-span')));
    tr.appendChild(td);
    row.parentNode.insertBefore(tr, row.nextSibling);
    row.setAttribute('aria-expanded', 'true');
  }
  document.addEventListener('click', function (e) {
    if (e.target.closest('a')) return;
    var row = e.target.closest('tr.span');
    if (row) toggle(row);
  });
  document.addEventListener('keydown', function (e) {
    var row = e.target.closest && e.target.closest('tr.span');
    if (row && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(row); }
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (row && row.classList.contains('span') && !(row.nextElementSibling && row.nextElementSibling.classList.contains('detail-row'))) toggle(row);
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
`;
