// The shop's web front end (run with `node --import @tracecheck/sdk/register web.mjs`): serves the
// checkout page, whose form POSTs the order to the API (another origin) with fetch, and which calls a
// third-party analytics pixel (a third origin).
//   GET /        the checkout page (checkout.page.render)
//   GET /health
import { createServer } from 'node:http';
import { effect } from '@tracecheck/sdk';

const api = process.env.API_URL;
const pixel = process.env.PIXEL_URL;

const page = () => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout</title></head>
<body>
  <h1>Checkout</h1>
  <img id="pixel" alt="" width="1" height="1" src="${pixel}/pixel.gif?event=checkout-view">
  <form id="checkout">
    <label>Item <select name="sku"><option value="tee-blue">Blue tee (25.00)</option><option value="mug-white">White mug (12.00)</option></select></label>
    <label>Quantity <input name="quantity" type="number" min="1" value="1"></label>
    <label>Email <input name="email" type="email" value="ada@example.com"></label>
    <label>Card number <input name="card" autocomplete="cc-number" value="4242 4242 4242 4242"></label>
    <label>Coupon <input name="coupon"></label>
    <button type="submit">Pay</button>
  </form>
  <p id="result" role="status"></p>
  <p id="analytics"></p>
  <script>
    const form = document.getElementById('checkout');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const order = Object.fromEntries(new FormData(form));
      const result = document.getElementById('result');
      try {
        const res = await fetch(${JSON.stringify(api)} + '/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) });
        const body = await res.json();
        result.textContent = res.ok ? 'Order ' + body.orderId + ' confirmed: ' + (body.amount / 100).toFixed(2) + ' EUR' : 'Payment failed: ' + body.error;
      } catch (err) {
        result.textContent = 'Payment failed: ' + err.message;
      }
      const analytics = document.getElementById('analytics');
      try {
        const res = await fetch(${JSON.stringify(pixel)} + '/collect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'checkout', sku: order.sku }) });
        analytics.textContent = res.ok ? 'analytics sent' : 'analytics failed: ' + res.status;
      } catch (err) {
        analytics.textContent = 'analytics failed: ' + err.message;
      }
    });
  </script>
</body>
</html>
`;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', async () => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200);
      return res.end('ok');
    }
    if (req.method === 'GET' && (req.url === '/' || req.url.startsWith('/?'))) {
      const html = await effect('checkout.page.render', { page: 'checkout' }, async () => page());
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(html);
    }
    res.writeHead(404);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`ready ${server.address().port}`));
