/** The shop's API, as vitest.config.ts starts it. */
export const api = `http://127.0.0.1:${process.env.SHOP_API_PORT ?? '3710'}`;
