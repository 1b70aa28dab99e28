// The shop's API (run with `node --import @tracecheck/sdk/register services/api.mjs`). The web front
// end calls it for the customer-facing flows; the back office and other systems call it directly.
//   POST /accounts                      sign up: the account, then a welcome email as a queued job
//   GET  /accounts/:id
//   POST /accounts/:id/experiments      opt in to a beta: flag target, then an analytics identify
//   GET  /accounts/:id/experiments      the betas, and the account's variation of each
//   POST /leads                         a demo request: a CRM lead
//   POST /escalations                   a support escalation: pages on-call (critical) or posts to chat
//   POST /orders                        checkout: charge (idempotency key), confirmation email job
//   GET  /orders/:id
//   POST /orders/:id/complete           packed: a fulfillment job (the worker sends the warehouse webhook)
//   POST /orders/:id/refunds            refund at the provider, then a reconciliation event
//   POST /subscriptions                 subscribe at the billing provider; the renewal is a scheduled job
//   GET  /subscriptions/:id
//   POST /subscriptions/:id/cancel      cancel at the billing provider
//   POST /internal/refunds/:id/reconciled   (the worker, once the ledger has the refund)
// Data lives in memory, as a database would hold it.
import { currentFault } from '../faults.mjs';
import { HttpError, newId, required, serve } from './lib/http.mjs';
import { analytics, crm, flags, notifier, payments } from './lib/providers.mjs';
import { queueClient } from './lib/queue.mjs';
import { step } from './lib/steps.mjs';

const fault = currentFault();
const faulty = (name) => fault === name;
if (fault) console.log(`api: SHOP_FAULT=${fault}`);

const queue = queueClient(required('QUEUE_URL'));
const BILLING_PERIOD_MS = Number(process.env.SHOP_BILLING_PERIOD_MS ?? 1500);
const CATALOGUE = { 'tea-sencha': { name: 'Sencha tea, 100 g', price: 1250 }, 'mug-white': { name: 'White mug', price: 1200 }, kettle: { name: 'Gooseneck kettle', price: 4500 } };
const PLANS = { 'pro-monthly': 1900, 'team-monthly': 4900 };

const db = { accounts: new Map(), orders: new Map(), refunds: new Map(), subscriptions: new Map(), tickets: new Map() };

function find(table, id, what) {
  const row = db[table].get(id);
  if (row === undefined) throw new HttpError(404, `no ${what} ${id}`);
  return row;
}

function requireFields(body, fields) {
  const missing = fields.filter((f) => body[f] === undefined || body[f] === '');
  if (missing.length > 0) throw new HttpError(422, `missing ${missing.join(', ')}`);
}

/** The amount of a refund as the payment provider takes it: cents, its smallest currency unit. */
function refundAmount(refund) {
  // The incident: refunds started going through the back office's money formatter, which writes major
  // units, and went out as 25 for 25.00 EUR. The provider takes any whole number: it refunded 25 cents.
  if (faulty('refund-in-dollars')) return Math.round(refund.amount_cents / 100);
  return refund.amount_cents;
}

// --- accounts and signup ---------------------------------------------------------------------------

async function signup({ body }) {
  requireFields(body, ['name', 'email', 'password']);
  const email = String(body.email).trim().toLowerCase();
  if ([...db.accounts.values()].some((a) => a.email === email)) throw new HttpError(409, 'an account with this email exists');
  const account = await step('account.create', { email }, async (span) => {
    const row = { id: newId('acc'), name: body.name, email, consent: { analytics: body.analytics_consent === true || body.analytics_consent === 'on' }, invited_by: body.invited_by ?? null, created_at: new Date().toISOString() };
    db.accounts.set(row.id, row);
    span.setAttribute('account.id', row.id);
    return row;
  });
  // The welcome email is a job: the worker sends it, so a slow mail provider never slows signup.
  const welcome = { template: 'welcome', to: account.email, variables: { name: account.name } };
  if (faulty('welcome-email-not-enqueued')) {
    // The incident: invitations got their own welcome email, and the enqueue moved into that branch.
    if (account.invited_by) await queue.publish('email-jobs', welcome);
  } else {
    await queue.publish('email-jobs', welcome);
  }
  return { status: 201, json: publicAccount(account) };
}

const publicAccount = (a) => ({ id: a.id, name: a.name, email: a.email, created_at: a.created_at });

// --- betas (feature flags) -------------------------------------------------------------------------

async function experiments({ params: [accountId] }) {
  find('accounts', accountId, 'account');
  const betas = await flags.betas();
  const list = await Promise.all(
    betas.map(async (f) => {
      const { variation, value } = await flags.evaluate(f.key, accountId);
      return { key: f.key, name: f.name, description: f.description, variation, enrolled: value };
    }),
  );
  return { json: { experiments: list } };
}

async function enroll({ params: [accountId], body }) {
  requireFields(body, ['flag']);
  const account = find('accounts', accountId, 'account');
  const beta = (await flags.betas()).find((f) => f.key === body.flag);
  if (beta === undefined) throw new HttpError(404, `no beta ${body.flag}`);
  const variation = beta.variations.at(-1);
  await flags.target(beta.key, account.id, variation);
  // Experiment reports are split by this trait: a user missing from them skews the result.
  const consented = faulty('identify-dropped')
    ? account.analyticsConsent // The incident: consent moved to account.consent.analytics; this still reads the old field.
    : account.consent.analytics;
  if (consented) await analytics.identify(account.id, { email: account.email, experiment: beta.key, experiment_variant: variation });
  return { status: 201, json: { flag: beta.key, variation } };
}

// --- demo requests -----------------------------------------------------------------------------------

async function createLead({ body }) {
  requireFields(body, ['name', 'email', 'company']);
  const lead = { email: body.email, name: body.name, company: body.company, team_size: body.team_size ? Number(body.team_size) : undefined, source: body.source || undefined };
  const created = await crm.createLead(lead);
  return { status: 201, json: { id: created.id } };
}

// --- support escalations -------------------------------------------------------------------------------

// Who hears about an escalation, by severity: critical ones page the support on-call engineer.
const ROUTES = faulty('page-not-sent')
  ? // The incident: the routing moved to configuration, and the critical entry was lost on the way.
    { high: { chat: '#support-escalations' }, normal: { chat: '#support' } }
  : { critical: { page: 'support-oncall' }, high: { chat: '#support-escalations' }, normal: { chat: '#support' } };

async function escalate({ body }) {
  requireFields(body, ['severity', 'summary', 'customer']);
  const ticket = await step('escalation.create', { severity: body.severity }, async (span) => {
    const row = { id: `T-${Math.floor(10000 + Math.random() * 90000)}`, severity: body.severity, summary: body.summary, customer: body.customer, status: 'escalated' };
    db.tickets.set(row.id, row);
    span.setAttribute('ticket', row.id);
    return row;
  });
  const route = ROUTES[ticket.severity];
  if (route?.page) await notifier.page({ routingKey: route.page, severity: ticket.severity, summary: `[${ticket.id}] ${ticket.customer}: ${ticket.summary}`, ticket: ticket.id });
  else if (route?.chat) await notifier.post({ channel: route.chat, text: `[${ticket.id}] ${ticket.customer}: ${ticket.summary}`, ticket: ticket.id });
  else console.log(`escalation ${ticket.id}: no route for severity ${ticket.severity}`);
  return { status: 201, json: { ticket: ticket.id, status: ticket.status } };
}

// --- orders ---------------------------------------------------------------------------------------------

async function createOrder({ body }) {
  requireFields(body, ['email', 'items', 'payment_method']);
  const order = await step('order.create', {}, async (span) => {
    const items = body.items.map((i) => {
      const product = CATALOGUE[i.sku];
      if (product === undefined || !(Number(i.qty) >= 1)) throw new HttpError(422, `unknown item ${i.sku} or bad quantity`);
      return { sku: i.sku, qty: Number(i.qty), unit_cents: product.price };
    });
    const row = { id: newId('ord'), email: body.email, items, amount_cents: items.reduce((sum, i) => sum + i.qty * i.unit_cents, 0), currency: 'eur', ship_to: body.ship_to ?? { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH', country: 'GB' }, status: 'pending' };
    db.orders.set(row.id, row);
    span.setAttributes({ 'order.id': row.id, amount: row.amount_cents });
    return row;
  });
  const charge = await payments.createCharge({ amount: order.amount_cents, currency: order.currency, paymentMethod: body.payment_method, description: `Order ${order.id}`, metadata: { order: order.id }, idempotencyKey: `order-${order.id}-charge` });
  Object.assign(order, { charge: charge.id, status: 'paid' });
  await queue.publish('email-jobs', { template: 'order-confirmation', to: order.email, variables: { order: order.id, total_cents: order.amount_cents } });
  return { status: 201, json: publicOrder(order) };
}

const publicOrder = (o) => ({ id: o.id, status: o.status, amount_cents: o.amount_cents, currency: o.currency, charge: o.charge, items: o.items });

async function completeOrder({ params: [orderId] }) {
  const order = find('orders', orderId, 'order');
  if (order.status !== 'paid') throw new HttpError(409, `order ${order.id} is ${order.status}`);
  await step('order.complete', { 'order.id': order.id }, async () => {
    order.status = 'fulfilling';
  });
  await queue.publish('fulfillment', { order_id: order.id, items: order.items.map(({ sku, qty }) => ({ sku, qty })), ship_to: order.ship_to, amount_cents: order.amount_cents, currency: order.currency });
  return { status: 202, json: publicOrder(order) };
}

async function refund({ params: [orderId], body }) {
  requireFields(body, ['amount_cents']);
  const order = find('orders', orderId, 'order');
  const amount = Number(body.amount_cents);
  const refunded = [...db.refunds.values()].filter((r) => r.order === order.id).reduce((sum, r) => sum + r.amount_cents, 0);
  const row = await step('refund.requested', { 'order.id': order.id, amount }, async (span) => {
    if (!Number.isInteger(amount) || amount < 1 || amount > order.amount_cents - refunded) throw new HttpError(422, `a refund of ${amount} cents does not fit order ${order.id}`);
    const r = { id: newId('rfd'), order: order.id, charge: order.charge, amount_cents: amount, reason: body.reason ?? 'requested_by_customer', status: 'pending' };
    db.refunds.set(r.id, r);
    span.setAttribute('refund.id', r.id);
    return r;
  });
  const created = await payments.createRefund({ charge: order.charge, amount: refundAmount(row), reason: row.reason, idempotencyKey: `refund-${row.id}` });
  Object.assign(row, { provider_refund: created.id, status: 'refunded' });
  // The answer is the refund as it stands now: the worker may reconcile it before publish() returns.
  const answer = { id: row.id, order: order.id, amount_cents: row.amount_cents, status: row.status };
  // Finance reconciles every refund against the provider's payout report.
  await queue.publish('reconciliation', { refund: row.id, provider_refund: created.id, charge: order.charge, amount_cents: row.amount_cents });
  return { status: 201, json: answer };
}

function reconciled({ params: [refundId] }) {
  find('refunds', refundId, 'refund').status = 'reconciled';
  return { status: 204 };
}

// --- subscriptions ----------------------------------------------------------------------------------------

async function subscribe({ body }) {
  requireFields(body, ['email', 'plan', 'payment_method']);
  if (PLANS[body.plan] === undefined) throw new HttpError(422, `no plan ${body.plan}`);
  const local = { id: newId('subs'), email: body.email, plan: body.plan, amount_cents: PLANS[body.plan], payment_method: body.payment_method, status: 'pending' };
  db.subscriptions.set(local.id, local);
  const remote = await payments.createSubscription({ email: local.email, plan: local.plan, paymentMethod: local.payment_method, idempotencyKey: `subscribe-${local.id}` });
  Object.assign(local, { provider_id: remote.id, status: 'active' });
  // The next period's charge is a scheduled job (the worker's billing-renewals).
  await queue.publish('billing-renewals', { subscription: local.id, provider_id: remote.id, amount_cents: local.amount_cents, payment_method: local.payment_method, period: 2 }, { delayMs: BILLING_PERIOD_MS });
  return { status: 201, json: publicSubscription(local) };
}

const publicSubscription = (s) => ({ id: s.id, plan: s.plan, status: s.status, amount_cents: s.amount_cents });

async function cancelSubscription({ params: [id] }) {
  const sub = find('subscriptions', id, 'subscription');
  await step('subscription.cancel.requested', { subscription: sub.id }, async () => {
    sub.status = 'canceled';
    sub.canceled_at = new Date().toISOString();
  });
  // The incident: cancellation was "simplified" to a local status change; the provider, which bills
  // the card, was never told.
  if (!faulty('cancel-local-only')) await payments.cancelSubscription(sub.provider_id);
  return { json: publicSubscription(sub) };
}

serve('api', [
  ['POST', /^\/accounts$/, signup],
  ['GET', /^\/accounts\/(\w+)$/, ({ params: [id] }) => ({ json: publicAccount(find('accounts', id, 'account')) })],
  ['GET', /^\/accounts\/(\w+)\/experiments$/, experiments],
  ['POST', /^\/accounts\/(\w+)\/experiments$/, enroll],
  ['POST', /^\/leads$/, createLead],
  ['POST', /^\/escalations$/, escalate],
  ['POST', /^\/orders$/, createOrder],
  ['GET', /^\/orders\/(\w+)$/, ({ params: [id] }) => ({ json: publicOrder(find('orders', id, 'order')) })],
  ['POST', /^\/orders\/(\w+)\/complete$/, completeOrder],
  ['POST', /^\/orders\/(\w+)\/refunds$/, refund],
  ['POST', /^\/internal\/refunds\/(\w+)\/reconciled$/, reconciled],
  ['POST', /^\/subscriptions$/, subscribe],
  ['GET', /^\/subscriptions\/(\w+)$/, ({ params: [id] }) => ({ json: publicSubscription(find('subscriptions', id, 'subscription')) })],
  ['POST', /^\/subscriptions\/(\w+)\/cancel$/, cancelSubscription],
]);
