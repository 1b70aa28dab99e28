// The shop's clients for its third parties. Every call that changes something outside the shop is an
// effect(): a CLIENT span named for the business action, with the values that matter as attributes
// (taken from the payload actually sent) and the payload itself, so tests can assert on what left the
// process. Reads (a subscription's status, a flag's value) are plain calls; the HTTP instrumentation
// records them.
import { createHmac } from 'node:crypto';
import { effect } from '@tracecheck/sdk';
import { requestJson, required, sleep } from './http.mjs';

/** A provider answered with an error; `status` and `body` say what. */
export class ProviderError extends Error {
  constructor(provider, action, res) {
    super(`${provider} ${action} answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.status = res.status;
    this.body = res.body;
  }
}

/**
 * `call()` again on network errors and 5xx answers, up to `attempts` times, waiting `backoffMs`,
 * then twice that, between tries. Payment calls pass an idempotency key, so a retry never charges
 * twice.
 */
async function withRetries(call, { attempts = 3, backoffMs = 200 } = {}) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await call();
      if (res.status < 500 || attempt === attempts) return res;
    } catch (err) {
      if (attempt === attempts) throw err;
    }
    await sleep(backoffMs * 2 ** (attempt - 1));
  }
}

function ok(provider, action, res) {
  if (!res.ok) throw new ProviderError(provider, action, res);
  return res.body;
}

// --- payments (charges, refunds, subscriptions) ---------------------------------------------------

const paymentsUrl = () => required('PAYMENTS_URL');
const paymentsKey = process.env.PAYMENTS_SECRET_KEY ?? 'sk_test_shop';
const paymentsCall = (method, path, body, idempotencyKey) =>
  withRetries(() => requestJson(`${paymentsUrl()}${path}`, { method, body, headers: { authorization: `Bearer ${paymentsKey}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) } }));

export const payments = {
  /** Charges `amount` cents. */
  async createCharge({ amount, currency = 'eur', paymentMethod, description, metadata, idempotencyKey }) {
    const payload = { amount, currency, payment_method: paymentMethod, description, metadata };
    const details = { amount, currency, ...(metadata?.order ? { order_id: metadata.order } : {}), ...(metadata?.subscription ? { subscription: metadata.subscription } : {}), payload };
    return effect('payments.charge.create', details, async () => ok('payments', 'charge', await paymentsCall('POST', '/v1/charges', payload, idempotencyKey)));
  },
  /** Refunds `amount` (in the provider's unit: cents) of `charge`. */
  async createRefund({ charge, amount, reason, idempotencyKey }) {
    const payload = { charge, amount, reason };
    return effect('payments.refund.create', { charge, amount, payload }, async () => ok('payments', 'refund', await paymentsCall('POST', '/v1/refunds', payload, idempotencyKey)));
  },
  async createSubscription({ email, plan, paymentMethod, idempotencyKey }) {
    const payload = { customer_email: email, plan, payment_method: paymentMethod };
    return effect('payments.subscription.create', { plan, payload }, async () => ok('payments', 'subscription', await paymentsCall('POST', '/v1/subscriptions', payload, idempotencyKey)));
  },
  async retrieveSubscription(id) {
    return ok('payments', 'subscription lookup', await paymentsCall('GET', `/v1/subscriptions/${id}`));
  },
  async cancelSubscription(id) {
    return effect('payments.subscription.cancel', { subscription: id }, async () => ok('payments', 'cancellation', await paymentsCall('DELETE', `/v1/subscriptions/${id}`)));
  },
};

// --- email ---------------------------------------------------------------------------------------

export const email = {
  /** Sends one templated email. */
  async send({ to, template, variables }) {
    const payload = { from: 'Shop <hello@shop.test>', to, template, variables };
    return effect('email.send', { to, template, payload }, async () =>
      ok('email', 'send', await withRetries(() => requestJson(`${required('EMAIL_URL')}/email`, { body: payload, headers: { 'x-server-token': process.env.EMAIL_SERVER_TOKEN ?? 'email-test-token' } }))),
    );
  },
};

// --- CRM -----------------------------------------------------------------------------------------

export const crm = {
  async createLead(lead) {
    return effect('crm.lead.create', { source: lead.source, email: lead.email, payload: lead }, async () =>
      ok('crm', 'lead', await withRetries(() => requestJson(`${required('CRM_URL')}/crm/v3/leads`, { body: lead, headers: { authorization: `Bearer ${process.env.CRM_API_KEY ?? 'crm-test-key'}` } }))),
    );
  },
};

// --- warehouse -----------------------------------------------------------------------------------

export const warehouse = {
  /**
   * One delivery of the fulfillment webhook, signed with the shared secret. Returns the raw answer:
   * whether it counts as delivered is the caller's retry policy's call.
   */
  deliver(payload, { orderId, attempt }) {
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', process.env.WAREHOUSE_WEBHOOK_SECRET ?? 'whsec_test_shop').update(body).digest('hex')}`;
    return effect('fulfillment.webhook.send', { order_id: orderId, attempt, payload }, () =>
      requestJson(`${required('WAREHOUSE_URL')}/webhooks/fulfillment`, { body, headers: { 'x-shop-signature': signature, 'x-shop-event': payload.event } }),
    );
  },
};

// --- paging and chat -----------------------------------------------------------------------------

export const notifier = {
  /** Pages the on-call engineer behind `routingKey`. */
  async page({ routingKey, severity, summary, ticket }) {
    const payload = { routing_key: routingKey, event_action: 'trigger', dedup_key: ticket, payload: { summary, severity, source: 'shop-support' } };
    return effect('oncall.page', { routing_key: routingKey, severity, ticket, payload }, async () => ok('notifier', 'page', await withRetries(() => requestJson(`${required('NOTIFIER_URL')}/v2/enqueue`, { body: payload }))));
  },
  /** Posts to a chat channel (what is not worth waking someone up for). */
  async post({ channel, text, ticket }) {
    const payload = { channel, text };
    return effect('chat.message.post', { channel, ticket, payload }, async () => ok('notifier', 'chat', await withRetries(() => requestJson(`${required('NOTIFIER_URL')}/chat/messages`, { body: payload }))));
  },
};

// --- analytics -----------------------------------------------------------------------------------

const analyticsCall = (path, payload) =>
  withRetries(() => requestJson(`${required('ANALYTICS_URL')}${path}`, { body: payload, headers: { authorization: `Basic ${Buffer.from(`${process.env.ANALYTICS_WRITE_KEY ?? 'analytics-test-key'}:`).toString('base64')}` } }));

export const analytics = {
  /** Sets a user's traits; reports are split by them (the experiment a user is in). */
  async identify(userId, traits) {
    const payload = { userId, traits };
    return effect('analytics.identify', { user_id: userId, experiment: traits.experiment, variant: traits.experiment_variant, payload }, async () => ok('analytics', 'identify', await analyticsCall('/v1/identify', payload)));
  },
  async track(userId, event, properties) {
    const payload = { userId, event, properties };
    return effect('analytics.track', { user_id: userId, event, payload }, async () => ok('analytics', 'track', await analyticsCall('/v1/track', payload)));
  },
};

// --- feature flags -------------------------------------------------------------------------------

const flagsCall = (method, path, body) => requestJson(`${required('FLAGS_URL')}${path}`, { method, body, headers: { authorization: `Bearer ${process.env.FLAGS_API_KEY ?? 'flags-test-key'}` } });

export const flags = {
  async betas() {
    return ok('flags', 'list', await flagsCall('GET', '/api/v2/flags?tag=beta')).items;
  },
  async evaluate(flag, user) {
    return ok('flags', 'evaluate', await flagsCall('GET', `/api/v2/flags/${flag}/evaluate?user=${encodeURIComponent(user)}`));
  },
  /** Targets `user` with `variation` of `flag` (an opt-in to a beta). */
  async target(flag, user, variation) {
    const payload = { user, variation };
    return effect('flags.target.add', { flag, user, variation, payload }, async () => ok('flags', 'target', await flagsCall('POST', `/api/v2/flags/${flag}/targets`, payload)));
  },
};
