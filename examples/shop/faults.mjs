// The incidents the shop can reproduce, one environment switch each: SHOP_FAULT=<name> makes the
// service named here take the broken code path (search the service for `faulty('<name>')`). The UI
// and the HTTP responses still show success; only the effects behind them are wrong.
//
// scripts/drill.mjs runs, for each fault, the ordinary test of its workflow (which still passes) and
// the tracecheck test (which must fail, naming `effect`).

/** @type {readonly import('./faults.d.mts').Fault[]} */
export const FAULTS = [
  {
    name: 'welcome-email-not-enqueued',
    workflow: 'signup',
    service: 'api',
    incident: 'the welcome-email job is never enqueued (it moved behind an invite-only branch)',
    runner: 'playwright',
    ordinary: 'tests/browser/signup.ui.spec.ts',
    tracecheck: ['tests/browser/signup.spec.ts'],
    effect: 'email.send',
  },
  {
    name: 'refund-in-dollars',
    workflow: 'refund',
    service: 'api',
    incident: 'the refund amount goes to the provider in dollars (a money helper returns major units)',
    runner: 'vitest',
    ordinary: 'tests/api/refund.http.test.ts',
    tracecheck: ['tests/api/refund.test.ts'],
    effect: 'payments.refund.create',
  },
  {
    name: 'crm-source-missing',
    workflow: 'demo request',
    service: 'web',
    incident: "the demo form's hidden source field was dropped in a redesign, so the CRM lead has no source",
    runner: 'playwright',
    ordinary: 'tests/browser/demo-request.ui.spec.ts',
    tracecheck: ['tests/browser/demo-request.spec.ts'],
    effect: 'crm.lead.create',
  },
  {
    name: 'webhook-sent-twice',
    workflow: 'order completion',
    service: 'worker',
    incident: "the webhook's retry takes the warehouse's 202 for a failure and sends it again after a 2 s backoff",
    runner: 'vitest',
    ordinary: 'tests/api/fulfillment.http.test.ts',
    tracecheck: ['tests/api/fulfillment.test.ts'],
    effect: 'fulfillment.webhook.send',
  },
  {
    name: 'webhook-order-id-renamed',
    workflow: 'webhook payload',
    service: 'worker',
    incident: "a refactor renames the webhook's order_id to orderId; the warehouse accepts it and ignores the order",
    runner: 'vitest',
    ordinary: 'tests/api/fulfillment.http.test.ts',
    tracecheck: ['tests/api/webhook-shape.test.ts'],
    effect: 'fulfillment.webhook.send',
  },
  {
    name: 'page-not-sent',
    workflow: 'support escalation',
    service: 'api',
    incident: 'the on-call routing table lost its critical entry, so the escalation pages nobody',
    runner: 'playwright',
    ordinary: 'tests/browser/escalation.ui.spec.ts',
    tracecheck: ['tests/browser/escalation.spec.ts'],
    effect: 'oncall.page',
  },
  {
    name: 'cancel-local-only',
    workflow: 'subscription cancellation',
    service: 'api',
    incident: 'the cancellation is saved locally only; the billing provider renews and charges the card',
    runner: 'vitest',
    ordinary: 'tests/api/subscription.http.test.ts',
    tracecheck: ['tests/api/subscription.test.ts'],
    effect: 'payments.charge.create',
  },
  {
    name: 'identify-dropped',
    workflow: 'feature-flag enrollment',
    service: 'api',
    incident: 'the analytics consent check reads a renamed field, so the identify call is dropped',
    runner: 'playwright',
    ordinary: 'tests/browser/enrollment.ui.spec.ts',
    tracecheck: ['tests/browser/enrollment.spec.ts'],
    effect: 'analytics.identify',
  },
];

/**
 * The fault this process was started with (SHOP_FAULT), or '' for none. An unknown name is an error:
 * a typo must not quietly run the correct code.
 */
export function currentFault(env = process.env) {
  const name = env.SHOP_FAULT ?? '';
  if (name !== '' && !FAULTS.some((f) => f.name === name)) {
    throw new Error(`SHOP_FAULT=${name} is not a fault of the shop; the faults are: ${FAULTS.map((f) => f.name).join(', ')}`);
  }
  return name;
}
