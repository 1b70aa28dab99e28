import { urls } from '../stack.mjs';

/** The web front end and the API, where stack.mjs puts them (SHOP_WEB_PORT, SHOP_API_PORT). */
export const { web, api } = urls();
