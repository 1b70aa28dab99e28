// A stand-in for the payment provider's test-mode API (charges, refunds, subscriptions), in the shape
// of Stripe's: a secret key, amounts in the smallest currency unit (cents), and idempotency keys (a
// retried request with the same Idempotency-Key gets the first answer back, never a second charge).
//   POST   /v1/charges            {amount, currency, payment_method, description, metadata}
//   POST   /v1/refunds            {charge, amount, reason}
//   POST   /v1/subscriptions      {customer_email, plan, payment_method}
//   GET    /v1/subscriptions/:id
//   DELETE /v1/subscriptions/:id  cancel
import { id, sandbox, unauthorized } from './sandbox.mjs';

const KEY = process.env.PAYMENTS_SECRET_KEY ?? 'sk_test_shop';
const PLANS = { 'pro-monthly': 1900, 'team-monthly': 4900 };
const charges = new Map();
const subscriptions = new Map();
const idempotent = new Map();

const invalid = (message, param) => ({ status: 400, body: { error: { type: 'invalid_request_error', message, param } } });

/** Answers a request once per Idempotency-Key: a replay gets the stored answer, other parameters an error. */
function once(headers, body, create) {
  const key = headers['idempotency-key'];
  if (key === undefined) return create();
  const seen = idempotent.get(key);
  if (seen !== undefined) {
    if (seen.request !== JSON.stringify(body)) return invalid(`Keys for idempotent requests can only be used with the same parameters they were first used with (key ${key})`);
    return seen.response;
  }
  const response = create();
  if (response.status < 500) idempotent.set(key, { request: JSON.stringify(body), response });
  return response;
}

sandbox('payments', [
  [
    'POST',
    /^\/v1\/charges$/,
    ({ body, headers }) =>
      unauthorized(headers, KEY) ??
      once(headers, body, () => {
        if (!Number.isInteger(body.amount) || body.amount < 50) return invalid('Amount must be an integer of at least 50 cents', 'amount');
        if (typeof body.payment_method !== 'string') return invalid('Missing payment_method', 'payment_method');
        if (body.payment_method === 'pm_card_chargeDeclined') return { status: 402, body: { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } } };
        const charge = { id: id('ch'), object: 'charge', amount: body.amount, amount_refunded: 0, currency: body.currency ?? 'eur', status: 'succeeded', metadata: body.metadata ?? {} };
        charges.set(charge.id, charge);
        return { status: 200, body: charge };
      }),
  ],
  [
    'POST',
    /^\/v1\/refunds$/,
    ({ body, headers }) =>
      unauthorized(headers, KEY) ??
      once(headers, body, () => {
        const charge = charges.get(body.charge);
        if (charge === undefined) return invalid(`No such charge: '${body.charge}'`, 'charge');
        const amount = body.amount ?? charge.amount - charge.amount_refunded;
        // Any positive whole number of cents up to what is left is a valid refund: 25 is 25 cents.
        if (!Number.isInteger(amount) || amount < 1) return invalid('Refund amount must be a positive integer (cents)', 'amount');
        if (amount > charge.amount - charge.amount_refunded) return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${charge.amount - charge.amount_refunded})`, 'amount');
        charge.amount_refunded += amount;
        return { status: 200, body: { id: id('re'), object: 'refund', amount, charge: charge.id, currency: charge.currency, reason: body.reason ?? null, status: 'succeeded' } };
      }),
  ],
  [
    'POST',
    /^\/v1\/subscriptions$/,
    ({ body, headers }) =>
      unauthorized(headers, KEY) ??
      once(headers, body, () => {
        const price = PLANS[body.plan];
        if (price === undefined) return invalid(`No such plan: '${body.plan}'`, 'plan');
        const sub = { id: id('sub'), object: 'subscription', plan: body.plan, amount: price, currency: 'eur', customer_email: body.customer_email, status: 'active', canceled_at: null };
        subscriptions.set(sub.id, sub);
        return { status: 200, body: sub };
      }),
  ],
  [
    'GET',
    /^\/v1\/subscriptions\/(\w+)$/,
    ({ headers, params: [subId] }) => unauthorized(headers, KEY) ?? (subscriptions.has(subId) ? { status: 200, body: subscriptions.get(subId) } : invalid(`No such subscription: '${subId}'`)),
  ],
  [
    'DELETE',
    /^\/v1\/subscriptions\/(\w+)$/,
    ({ headers, params: [subId] }) => {
      const denied = unauthorized(headers, KEY);
      if (denied) return denied;
      const sub = subscriptions.get(subId);
      if (sub === undefined) return invalid(`No such subscription: '${subId}'`);
      if (sub.status !== 'canceled') Object.assign(sub, { status: 'canceled', canceled_at: Math.floor(Date.now() / 1000) });
      return { status: 200, body: sub };
    },
  ],
]);
