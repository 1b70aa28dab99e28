// An ES module app on express (started with `node --import @tracecheck/sdk/register` and
// TRACECHECK_INSTRUMENTATIONS=@opentelemetry/instrumentation-express): express reaches this module
// through `import`, never through `require`, so only the ESM loader hook lets the instrumentation in.
import express from 'express';

const app = express();
app.use(express.json());
app.get('/orders/:id', (req, res) => {
  res.json({ id: req.params.id, status: 'paid' });
});

const server = app.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
