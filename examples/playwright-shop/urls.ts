// Where the shop's processes listen: all on 127.0.0.1, each on its own port (SHOP_*_PORT to move them).
const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

export const urls = {
  /** The web front end: serves the checkout page. */
  web: `http://127.0.0.1:${port('SHOP_WEB_PORT', 3100)}`,
  /** The API the page calls (another origin: CORS). */
  api: `http://127.0.0.1:${port('SHOP_API_PORT', 3101)}`,
  /** The payment provider's and mailer's sandbox (not instrumented). */
  provider: `http://127.0.0.1:${port('SHOP_PROVIDER_PORT', 3102)}`,
  /** A third party's analytics pixel: must never get the run's headers. */
  pixel: `http://127.0.0.1:${port('SHOP_PIXEL_PORT', 3103)}`,
};
