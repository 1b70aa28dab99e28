import { z } from 'zod';

/** The fulfillment webhook, as agreed with the warehouse (their integration guide, version 3). */
export const FulfillmentWebhook = z.strictObject({
  event: z.literal('order.ready_to_ship'),
  event_id: z.uuid(),
  order_id: z.string().regex(/^ord_\w+$/),
  items: z.array(z.strictObject({ sku: z.string(), qty: z.number().int().positive() })).min(1),
  ship_to: z.strictObject({ name: z.string(), line1: z.string(), city: z.string(), postcode: z.string(), country: z.string().length(2) }),
  amount_cents: z.number().int().positive(),
  currency: z.literal('eur'),
});
