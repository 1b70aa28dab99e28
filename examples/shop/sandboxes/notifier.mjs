// A stand-in for the paging and chat service (in the shape of PagerDuty's Events API v2 and a chat
// webhook): a page triggers an incident for the service behind a routing key.
//   POST /v2/enqueue      {routing_key, event_action, dedup_key, payload: {summary, severity, source}}  -> 202
//   POST /chat/messages   {channel, text}                                                             -> 200
import { sandbox } from './sandbox.mjs';

const KNOWN_KEYS = new Set((process.env.NOTIFIER_ROUTING_KEYS ?? 'support-oncall,payments-oncall').split(','));

sandbox('notifier', [
  [
    'POST',
    /^\/v2\/enqueue$/,
    ({ body }) => {
      if (!KNOWN_KEYS.has(body.routing_key)) return { status: 400, body: { status: 'invalid event', message: 'Invalid routing key', errors: ['routing_key'] } };
      if (!['trigger', 'acknowledge', 'resolve'].includes(body.event_action)) return { status: 400, body: { status: 'invalid event', errors: ['event_action'] } };
      return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: body.dedup_key } };
    },
  ],
  ['POST', /^\/chat\/messages$/, ({ body }) => (typeof body.channel === 'string' ? { status: 200, body: { ok: true, channel: body.channel } } : { status: 400, body: { ok: false, error: 'channel_not_found' } })],
]);
