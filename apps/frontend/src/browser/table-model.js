// @ts-check
/**
 * Pure helpers of the UI: what pinger's answers hold, which columns the ping table has, how cells
 * read, which pinger version answered. No DOM here, so the logic is unit-tested in Node
 * (table-model.spec.ts).
 *
 * Pinger answers in the original learnathon's shapes (`/ping/stats` an object of entries keyed by
 * the SHA-256 of their URL, `/ping/urls` an array, version and probe interval in headers); the
 * helpers also read the shapes this app's pinger used before (`{version, intervalMs, stats: [...]}`,
 * `{urls: [...]}`), so the UI works in front of either.
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

/** @typedef {{ get(name: string): string | null }} HeaderReader */

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rows of a `/ping/stats` answer, one per watched URL, in the order pinger lists them;
 * undefined when the body is neither shape.
 * @param {unknown} body
 * @returns {Array<Record<string, unknown>> | undefined}
 */
export function statsRows(body) {
  if (!isRecord(body)) return undefined;
  const entries = Array.isArray(body['stats']) ? body['stats'] : Object.values(body);
  if (!entries.every(isRecord)) return undefined;
  return entries.filter((entry) => typeof entry['url'] === 'string');
}

/**
 * Pinger's probe interval in ms: the `x-probe-interval-ms` header, else the older body field.
 * @param {unknown} body
 * @param {HeaderReader} headers
 * @returns {number | undefined}
 */
export function probeIntervalMs(body, headers) {
  const header = Number(headers.get('x-probe-interval-ms') ?? Number.NaN);
  if (Number.isFinite(header) && header > 0) return header;
  const fromBody = isRecord(body) ? body['intervalMs'] : undefined;
  return typeof fromBody === 'number' && fromBody > 0 ? fromBody : undefined;
}

/**
 * The URL list of a `/ping/urls` or `/ping/updateUrl` answer: an array, or the older `{urls}`.
 * @param {unknown} body
 * @returns {string[] | undefined}
 */
export function urlList(body) {
  const list = isRecord(body) ? body['urls'] : body;
  if (!Array.isArray(list) || !list.every((url) => typeof url === 'string')) return undefined;
  return list;
}

/**
 * The pinger version that produced an answer: its `x-service-version` header (else the older
 * body field), but only if pinger answered: the frontend's own error for an unreachable pinger
 * names no version.
 * @param {unknown} body
 * @param {HeaderReader} headers
 * @returns {string | undefined}
 */
export function answeringVersion(body, headers) {
  if (headers.get('x-upstream-service') !== 'pinger') return undefined;
  const fromHeader = headers.get('x-service-version');
  if (fromHeader) return fromHeader;
  const fromBody = isRecord(body) ? body['version'] : undefined;
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}

/**
 * What the banner says when a poll of `/ping/stats` failed, naming the service that is down.
 * @param {number} status 0 when the frontend itself did not answer
 * @param {unknown} body
 * @param {HeaderReader} headers
 * @returns {string}
 */
export function pollProblem(status, body, headers) {
  const reason = errorMessage(status, body);
  if (status === 0) return reason;
  const upstream = headers.get('x-upstream-service');
  if (upstream && status >= 500) return `${capitalize(upstream)} is unavailable: ${reason}`;
  return `Live data unavailable: ${reason}`;
}

/** @param {string} word */
function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
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
