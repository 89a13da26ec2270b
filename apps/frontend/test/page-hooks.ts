/**
 * Element ids of the page that the browser tests rely on (documented at the top of browser/app.js).
 * Specs check that the page file has them and that the server serves them.
 */
export const PAGE_HOOK_IDS = [
  'ping-table',
  'add-url-form',
  'url-input',
  'status-banner',
  'pinger-version',
  'details-panel',
] as const;
