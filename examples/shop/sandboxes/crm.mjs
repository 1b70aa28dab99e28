// A stand-in for the CRM's API (in the shape of HubSpot's or Salesforce's): leads with a lead source,
// which sales uses to route website demo requests to the right team. A lead without a source is
// accepted (the field is optional there), and lands in nobody's queue.
//   POST /crm/v3/leads {email, name, company, team_size, source}  -> 201 {id, ...}
import { id, sandbox, unauthorized } from './sandbox.mjs';

const KEY = process.env.CRM_API_KEY ?? 'crm-test-key';

sandbox('crm', [
  [
    'POST',
    /^\/crm\/v3\/leads$/,
    ({ body, headers }) => {
      const denied = unauthorized(headers, KEY);
      if (denied) return denied;
      if (typeof body.email !== 'string') return { status: 400, body: { status: 'error', message: 'Property "email" is required' } };
      return { status: 201, body: { id: id('lead'), properties: body, createdAt: new Date().toISOString() } };
    },
  ],
]);
