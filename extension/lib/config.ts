/** Constants every part of the extension agrees on. */

/** The local demo server that `npm start` runs. */
export const DEFAULT_SERVER_URL = "http://localhost:8787";

/** The business day of French companies: what "today" means for due dates. */
export const BUSINESS_TIME_ZONE = "Europe/Paris";

/** How often the badge's figures are refreshed while signed in (the browser batches alarms). */
export const ATTENTION_REFRESH_MINUTES = 30;

/** How many invoices the popup lists. */
export const RECENT_INVOICES = 25;
