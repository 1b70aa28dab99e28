// A stand-in for the warehouse's fulfillment webhook endpoint. It checks the HMAC signature, then
// accepts the delivery for asynchronous processing: 202 Accepted, whatever the payload says (an
// unknown shape is dropped later, on their side, where nobody sees it). Every delivery ships a parcel.
//   POST /webhooks/fulfillment   X-Shop-Signature: sha256=<hex HMAC of the body>   -> 202
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sandbox } from './sandbox.mjs';

const SECRET = process.env.WAREHOUSE_WEBHOOK_SECRET ?? 'whsec_test_shop';

sandbox('warehouse', [
  [
    'POST',
    /^\/webhooks\/fulfillment$/,
    ({ raw, headers }) => {
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(headers['x-shop-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401, body: { error: 'invalid signature' } };
      return { status: 202, body: { status: 'accepted' } };
    },
  ],
]);
