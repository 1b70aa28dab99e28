// A stand-in for the transactional email provider's API (in the shape of Postmark's or SendGrid's):
// a server token, one message per request, the template's name and its variables.
//   POST /email        {from, to, template, variables}  -> 200 {message_id, to, submitted_at}
//   GET  /messages?to=  what was sent to an address (the sandbox's inbox)
import { id, sandbox } from './sandbox.mjs';

const TOKEN = process.env.EMAIL_SERVER_TOKEN ?? 'email-test-token';
const sent = [];

sandbox('email', [
  [
    'POST',
    /^\/email$/,
    ({ body, headers }) => {
      if (headers['x-server-token'] !== TOKEN) return { status: 401, body: { error_code: 10, message: 'Bad or missing server token' } };
      if (typeof body.to !== 'string' || !body.to.includes('@')) return { status: 422, body: { error_code: 300, message: 'Invalid To address' } };
      if (typeof body.template !== 'string') return { status: 422, body: { error_code: 1101, message: 'Template is required' } };
      const message = { message_id: id('msg'), to: body.to, template: body.template, submitted_at: new Date().toISOString() };
      sent.push(message);
      return { status: 200, body: message };
    },
  ],
  ['GET', /^\/messages$/, ({ query }) => ({ status: 200, body: sent.filter((m) => m.to === query.get('to')) })],
]);
