// An in-process job queue (an EventEmitter) carrying the run id from the code that enqueues a job
// to the worker that runs it, possibly much later and outside the request that enqueued it.
//
//   node --import @tracecheck/sdk/register in-process.mjs
import { EventEmitter } from 'node:events';
import { context, propagation } from '@opentelemetry/api';
import { consume, effect, produce } from '@tracecheck/sdk';

const jobs = new EventEmitter();

// Worker: runs each job in the context its headers carry, as a CONSUMER span linked to the producer.
jobs.on('job', (job) => {
  setTimeout(() => {
    consume('emails', job.headers, () => effect('email.send', { to: job.body.to, payload: job.body }, () => 'sent'), { system: 'in-process' });
  }, 5);
});

// Producer: inside a test run (here set by hand; in a service it arrives as a `baggage` header).
const run = propagation.setBaggage(context.active(), propagation.createBaggage({ 'test.run.id': { value: process.env.RUN_ID ?? 'example-run' } }));
context.with(run, () => {
  produce('emails', {}, (headers) => jobs.emit('job', { headers, body: { to: 'ann@example.com', template: 'welcome' } }), { system: 'in-process' });
});
console.log('enqueued 1 job');
