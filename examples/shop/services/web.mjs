// The shop's web front end (run with `node --import @tracecheck/sdk/register services/web.mjs`):
// server-rendered pages with plain HTML forms, posted back here and handed to the API (so a
// browser's request and everything behind it is one trace). A cookie holds the signed-in account.
//   GET  /                    home
//   GET  /signup, POST        create an account -> /welcome
//   GET  /welcome
//   GET  /demo, POST          request a demo (a CRM lead)
//   GET  /support/escalate, POST   escalate a customer's problem (pages on-call when critical)
//   GET  /labs, POST /labs/enroll   opt in to a beta (feature flag + analytics)
import { currentFault } from '../faults.mjs';
import { requestJson, required, serve } from './lib/http.mjs';

const fault = currentFault();
const faulty = (name) => fault === name;
if (fault) console.log(`web: SHOP_FAULT=${fault}`);

const api = required('API_URL');

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(title)} · Shop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}input,select,textarea{display:block;width:100%;padding:.3rem}input[type=checkbox]{display:inline;width:auto}button{margin-top:1rem;padding:.4rem 1rem}.error{color:#a00}.notice{background:#eef7ee;padding:.6rem;border-radius:4px}nav a{margin-right:1rem}</style>
</head>
<body>
<nav><a href="/">Shop</a><a href="/signup">Sign up</a><a href="/demo">Request a demo</a><a href="/labs">Labs</a><a href="/support/escalate">Support</a></nav>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const html = (title, body, status = 200, headers = {}) => ({ status, html: page(title, body), headers });
const error = (message) => (message ? `<p class="error" role="alert">${escape(message)}</p>` : '');

// --- signup ---------------------------------------------------------------------------------------

function signupForm(values = {}, message = '') {
  return `${error(message)}
<form method="post" action="/signup">
  <label>Name <input name="name" autocomplete="name" required value="${escape(values.name)}"></label>
  <label>Email <input name="email" type="email" autocomplete="email" required value="${escape(values.email)}"></label>
  <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="8"></label>
  <label><input name="analytics_consent" type="checkbox" checked> Help improve the shop with product analytics</label>
  <button type="submit">Create account</button>
</form>`;
}

async function signup({ body }) {
  const res = await requestJson(`${api}/accounts`, { body: { name: body.name, email: body.email, password: body.password, analytics_consent: body.analytics_consent === 'on' } });
  if (res.status !== 201) return html('Create your account', signupForm(body, res.body?.error ?? 'Something went wrong; please try again.'), res.status === 409 ? 409 : 422);
  return { status: 303, location: '/welcome', headers: { 'set-cookie': `shop_session=${encodeURIComponent(res.body.id)}; Path=/; HttpOnly; SameSite=Lax` } };
}

async function signedIn(cookies) {
  if (!cookies.shop_session) return undefined;
  const res = await requestJson(`${api}/accounts/${encodeURIComponent(cookies.shop_session)}`, { method: 'GET' });
  return res.status === 200 ? res.body : undefined;
}

async function welcome({ cookies }) {
  const account = await signedIn(cookies);
  if (account === undefined) return { status: 303, location: '/signup' };
  return html(`Welcome, ${account.name}!`, `<p class="notice" role="status">Your account is ready. We've sent a welcome email to <strong>${escape(account.email)}</strong>.</p><p><a href="/labs">Try our betas in Labs</a></p>`);
}

// --- demo requests --------------------------------------------------------------------------------

function demoForm() {
  // Sales routes leads by their source; this form's leads go to the demo team.
  const source = faulty('crm-source-missing')
    ? '' // The incident: the form was redesigned, and its hidden source field did not survive.
    : '<input type="hidden" name="source" value="website_demo_request">';
  return `<form method="post" action="/demo">
  ${source}
  <label>Name <input name="name" required></label>
  <label>Work email <input name="email" type="email" required></label>
  <label>Company <input name="company" required></label>
  <label>Team size <select name="team_size"><option value="5">1–5</option><option value="20">6–20</option><option value="100">21–100</option><option value="500">More than 100</option></select></label>
  <button type="submit">Request a demo</button>
</form>`;
}

async function requestDemo({ body }) {
  const res = await requestJson(`${api}/leads`, { body: { name: body.name, email: body.email, company: body.company, team_size: body.team_size, source: body.source } });
  if (res.status !== 201) return html('Request a demo', `${error(res.body?.error ?? 'Something went wrong; please try again.')}${demoForm()}`, 422);
  return html('Thank you!', `<p class="notice" role="status">Thanks, ${escape(body.name)}! Our team will contact you at ${escape(body.email)} within one business day.</p>`);
}

// --- support escalations --------------------------------------------------------------------------

const escalateForm = () => `<form method="post" action="/support/escalate">
  <label>Customer <input name="customer" required></label>
  <label>Severity <select name="severity"><option value="critical">Critical: page the on-call engineer</option><option value="high" selected>High</option><option value="normal">Normal</option></select></label>
  <label>What is wrong <textarea name="summary" required></textarea></label>
  <button type="submit">Escalate</button>
</form>`;

async function escalate({ body }) {
  const res = await requestJson(`${api}/escalations`, { body: { customer: body.customer, severity: body.severity, summary: body.summary } });
  if (res.status !== 201) return html('Escalate to engineering', `${error(res.body?.error ?? 'Something went wrong; please try again.')}${escalateForm()}`, 422);
  const who = body.severity === 'critical' ? 'The on-call engineer has been paged.' : 'Engineering has been notified in chat.';
  return html('Escalated', `<p class="notice" role="status">Escalated as ticket <strong>${escape(res.body.ticket)}</strong>. ${who}</p>`);
}

// --- labs (betas behind feature flags) -------------------------------------------------------------

async function labs({ cookies, query }) {
  const account = await signedIn(cookies);
  if (account === undefined) return { status: 303, location: '/signup' };
  const res = await requestJson(`${api}/accounts/${account.id}/experiments`, { method: 'GET' });
  if (res.status !== 200) return html('Labs', error('Labs is not available right now.'), 502);
  const joined = res.body.experiments.find((e) => e.key === query.get('joined'));
  const banner = joined ? `<p class="notice" role="status">You're in! ${escape(joined.name)} is on for your account.</p>` : '';
  const items = res.body.experiments
    .map((e) => `<li><h2>${escape(e.name)}</h2><p>${escape(e.description)}</p>${e.enrolled ? '<p>Enrolled</p>' : `<form method="post" action="/labs/enroll"><input type="hidden" name="flag" value="${escape(e.key)}"><button type="submit" aria-label="Join the beta: ${escape(e.name)}">Join the beta</button></form>`}</li>`)
    .join('\n');
  return html('Labs', `${banner}<ul>${items}</ul>`);
}

async function enroll({ cookies, body }) {
  const account = await signedIn(cookies);
  if (account === undefined) return { status: 303, location: '/signup' };
  const res = await requestJson(`${api}/accounts/${account.id}/experiments`, { body: { flag: body.flag } });
  if (res.status !== 201) return html('Labs', error(res.body?.error ?? 'Could not join the beta.'), 422);
  return { status: 303, location: `/labs?joined=${encodeURIComponent(body.flag)}` };
}

serve('web', [
  ['GET', /^\/$/, () => html('Shop', '<p>Tea, mugs and kettles. <a href="/signup">Create an account</a>, or <a href="/demo">see the shop for teams</a>.</p>')],
  ['GET', /^\/signup$/, () => html('Create your account', signupForm())],
  ['POST', /^\/signup$/, signup],
  ['GET', /^\/welcome$/, welcome],
  ['GET', /^\/demo$/, () => html('Request a demo', demoForm())],
  ['POST', /^\/demo$/, requestDemo],
  ['GET', /^\/support\/escalate$/, () => html('Escalate to engineering', escalateForm())],
  ['POST', /^\/support\/escalate$/, escalate],
  ['GET', /^\/labs$/, labs],
  ['POST', /^\/labs\/enroll$/, enroll],
]);
