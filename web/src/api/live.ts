/** How often live views (overview, lists, a client's emails) poll the API. */
export const LIVE_REFRESH_MS = 4000;
