// @ts-check
/**
 * Pure helpers of the UI: which columns the ping table has, how cells read, which pinger version
 * answered. No DOM here, so the logic is unit-tested in Node (table-model.spec.ts).
 */

/** Labels for the fields pinger is known to send; any other field gets a label made from its name. */
const KNOWN_LABELS = /** @type {Record<string, string>} */ ({
  url: 'URL',
  total: 'Probes',
  success: 'Successes',
  latency: 'Latency (ms)',
  statusCode: 'Status',
  responseSize: 'Response size (bytes)',
});

/**
 * The table's columns: the union of the keys of all rows, `url` first, then in order of first
 * appearance. A new field from a newer pinger (v2's `responseSize`) becomes a column by itself.
 * @param {ReadonlyArray<Record<string, unknown>>} rows
 * @returns {string[]}
 */
export function columnsOf(rows) {
  const columns = new Set(['url']);
  for (const row of rows) {
    for (const key of Object.keys(row)) columns.add(key);
  }
  return [...columns];
}

/**
 * `responseSize` -> `Response size`.
 * @param {string} key
 * @returns {string}
 */
export function columnLabel(key) {
  const known = KNOWN_LABELS[key];
  if (known) return known;
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The text of a cell; missing values (not probed yet, or a field this row lacks) read as a dash.
 * @param {unknown} value
 * @returns {string}
 */
export function formatCell(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * How a status cell is coloured: 2xx/3xx are fine, anything else (4xx, 5xx, ECONNREFUSED) is not.
 * @param {unknown} statusCode
 * @returns {'ok' | 'bad' | 'pending'}
 */
export function statusTone(statusCode) {
  if (statusCode === null || statusCode === undefined) return 'pending';
  return typeof statusCode === 'number' && statusCode >= 200 && statusCode < 400 ? 'ok' : 'bad';
}

/**
 * The pinger version that produced an answer: the body's `version`, else the `x-service-version`
 * header, but only if pinger really answered (a 502 from the frontend carries the frontend's version).
 * @param {unknown} body
 * @param {{ get(name: string): string | null }} headers
 * @returns {string | undefined}
 */
export function answeringVersion(body, headers) {
  if (headers.get('x-upstream-service') !== 'pinger') return undefined;
  const fromBody =
    body && typeof body === 'object' ? /** @type {{ version?: unknown }} */ (body).version : undefined;
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  return headers.get('x-service-version') ?? undefined;
}

/**
 * A sentence for the user from an error answer: the server's own message when it sent one.
 * @param {number} status
 * @param {unknown} body
 * @returns {string}
 */
export function errorMessage(status, body) {
  const message =
    body && typeof body === 'object' ? /** @type {{ message?: unknown }} */ (body).message : undefined;
  if (typeof message === 'string' && message) return message;
  return `The server answered ${status} without an explanation`;
}

/**
 * Counts of the versions that answered the recent polls, most frequent first: during a canary
 * this shows the traffic split as the user experiences it.
 * @param {readonly string[]} recent
 * @returns {Array<[version: string, count: number]>}
 */
export function versionMix(recent) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const version of recent) counts.set(version, (counts.get(version) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
