import { api } from '../urls.js';

/** What makes the requests: a test's `run` (its fetch tags the flow with the run), or `{ fetch }`. */
export interface Client {
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

/** POSTs `body` as JSON to the API. */
export function postJson(client: Client, path: string, body: unknown = {}): Promise<Response> {
  return client.fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export interface Order {
  id: string;
  status: string;
  amount_cents: number;
  charge: string;
}

/** Places a paid order of two packs of tea (25.00 EUR). */
export async function placeOrder(client: Client): Promise<Order> {
  const res = await postJson(client, '/orders', { email: 'ada@example.com', items: [{ sku: 'tea-sencha', qty: 2 }], payment_method: 'pm_card_visa' });
  if (res.status !== 201) throw new Error(`POST /orders answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Order;
}
