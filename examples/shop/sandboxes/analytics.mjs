// A stand-in for the product analytics collector (in the shape of Segment's HTTP tracking API): a
// write key as HTTP basic auth, identify calls that set a user's traits (the experiments they are in,
// which every experiment report is split by) and track calls for events.
//   POST /v1/identify {userId, traits}               -> 200 {success: true}
//   POST /v1/track    {userId, event, properties}    -> 200 {success: true}
import { sandbox } from './sandbox.mjs';

const WRITE_KEY = process.env.ANALYTICS_WRITE_KEY ?? 'analytics-test-key';
const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

const accept = (required) => ({ body, headers }) => {
  if (headers.authorization !== auth) return { status: 401, body: { success: false, message: 'Invalid write key' } };
  for (const key of required) if (body[key] === undefined) return { status: 400, body: { success: false, message: `${key} is required` } };
  return { status: 200, body: { success: true } };
};

sandbox('analytics', [
  ['POST', /^\/v1\/identify$/, accept(['userId', 'traits'])],
  ['POST', /^\/v1\/track$/, accept(['userId', 'event'])],
]);
