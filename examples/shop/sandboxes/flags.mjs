// A stand-in for the feature-flag service (in the shape of LaunchDarkly's or Unleash's API): flags
// with variations, evaluated per user, and individual targets (a user who opted in to a beta).
//   GET  /api/v2/flags?tag=beta                 flags open to opt-in
//   GET  /api/v2/flags/:key/evaluate?user=ID    -> {key, value, variation}
//   POST /api/v2/flags/:key/targets {user, variation}  -> 201
import { sandbox, unauthorized } from './sandbox.mjs';

const KEY = process.env.FLAGS_API_KEY ?? 'flags-test-key';
const flags = new Map([
  ['new-checkout', { key: 'new-checkout', name: 'The new checkout', description: 'A one-page checkout with saved cards.', tags: ['beta'], variations: ['control', 'treatment'], fallback: 'control' }],
  ['dark-mode', { key: 'dark-mode', name: 'Dark mode', description: 'The shop in dark colours.', tags: ['beta'], variations: ['off', 'on'], fallback: 'off' }],
]);
const targets = new Map(); // `${flag}/${user}` -> variation

sandbox('flags', [
  ['GET', /^\/api\/v2\/flags$/, ({ headers, query }) => unauthorized(headers, KEY) ?? { status: 200, body: { items: [...flags.values()].filter((f) => !query.get('tag') || f.tags.includes(query.get('tag'))) } }],
  [
    'GET',
    /^\/api\/v2\/flags\/([\w-]+)\/evaluate$/,
    ({ headers, params: [key], query }) => {
      const denied = unauthorized(headers, KEY);
      if (denied) return denied;
      const flag = flags.get(key);
      if (flag === undefined) return { status: 404, body: { message: `unknown flag ${key}` } };
      const variation = targets.get(`${key}/${query.get('user')}`) ?? flag.fallback;
      return { status: 200, body: { key, variation, value: variation !== flag.fallback } };
    },
  ],
  [
    'POST',
    /^\/api\/v2\/flags\/([\w-]+)\/targets$/,
    ({ headers, params: [key], body }) => {
      const denied = unauthorized(headers, KEY);
      if (denied) return denied;
      const flag = flags.get(key);
      if (flag === undefined) return { status: 404, body: { message: `unknown flag ${key}` } };
      if (!flag.variations.includes(body.variation) || typeof body.user !== 'string') return { status: 400, body: { message: 'user and a known variation are required' } };
      targets.set(`${key}/${body.user}`, body.variation);
      return { status: 201, body: { key, user: body.user, variation: body.variation } };
    },
  ],
]);
