// @ts-check
/**
 * The pinger dashboard: polls /ping/stats, builds the table from whatever fields pinger sends,
 * adds URLs, shows a URL's details. All data is written with textContent, never as HTML.
 *
 * Stable hooks for browser tests:
 *   #status-banner     live-data problems (role=status, aria-live); hidden when all is well;
 *                      data-state="ok" | "error"; names the service that is down ("Pinger is
 *                      unavailable: …") and the server's own message
 *   #pinger-version    version of the pinger that answered the last poll (the `x-service-version`
 *                      header of a pinger answer)
 *   #version-mix       versions that answered the recent polls, e.g. "v1 ×19 · v2 ×1"
 *   #version-history   one li[data-version] per recent poll, oldest first: the version that
 *                      answered it, or data-version="none" when pinger did not
 *   #poll-interval     pinger's probe interval; #last-updated: time of the last good poll
 *   #ping-table        data-state="loading" | "ok" | "stale"; header cells th[data-column=KEY];
 *                      rows tr[data-url=URL]; cells [data-column=KEY]; the URL cell holds
 *                      button.url-button[data-testid=url-button], which opens the details
 *   #ping-table-empty  shown when pinger watches no URLs
 *   #add-url-form, #url-input, #add-url-button,
 *   #add-url-message   data-state="pending" | "ok" | "error"; on 400 the server's message
 *   #details-panel     data-state="idle" | "loading" | "ok" | "error"; #details-url, #details-message,
 *                      #details-list (a dl: dt label, dd[data-field=KEY] value)
 */
import {
  answeringVersion,
  columnLabel,
  columnsOf,
  errorMessage,
  formatCell,
  isRecord,
  pollProblem,
  probeIntervalMs,
  statsRows,
  statusTone,
  urlList,
  versionMix,
} from './table-model.js';

const POLL_INTERVAL_MS = 2000;
/** Longer than the frontend's own upstream timeout, so the server's 504 message wins the race. */
const REQUEST_TIMEOUT_MS = 10000;
const VERSION_HISTORY_SIZE = 20;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function element(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`The page lacks #${id}`);
  return found;
}

const banner = element('status-banner', HTMLElement);
const pingerVersion = element('pinger-version', HTMLElement);
const versionMixText = element('version-mix', HTMLElement);
const versionHistory = element('version-history', HTMLOListElement);
const pollInterval = element('poll-interval', HTMLElement);
const lastUpdated = element('last-updated', HTMLTimeElement);
const table = element('ping-table', HTMLTableElement);
const tableHeadRow = element('ping-table-head', HTMLTableRowElement);
const tableBody = element('ping-table-body', HTMLTableSectionElement);
const tableEmpty = element('ping-table-empty', HTMLElement);
const form = element('add-url-form', HTMLFormElement);
const urlInput = element('url-input', HTMLInputElement);
const addButton = element('add-url-button', HTMLButtonElement);
const addMessage = element('add-url-message', HTMLElement);
const detailsPanel = element('details-panel', HTMLElement);
const detailsUrl = element('details-url', HTMLElement);
const detailsMessage = element('details-message', HTMLElement);
const detailsList = element('details-list', HTMLDListElement);

/** @typedef {{ ok: boolean, status: number, body: unknown, headers: Headers }} JsonResult */

/**
 * Calls the frontend's JSON API; never throws: a network failure becomes a result with status 0.
 * @param {string} path
 * @param {unknown} [body] sent as JSON with POST when given
 * @returns {Promise<JsonResult>}
 */
async function requestJson(path, body) {
  /** @type {RequestInit} */
  const init = { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const message = timedOut
      ? `The frontend did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`
      : 'The frontend is unreachable';
    return { ok: false, status: 0, body: { message }, headers: new Headers() };
  }
  /** @type {unknown} */
  let parsed;
  try {
    parsed = await response.json();
  } catch {
    parsed = undefined;
  }
  return { ok: response.ok, status: response.status, body: parsed, headers: response.headers };
}

/** @param {string} message */
function showBanner(message) {
  const text = `${message}. Retrying every ${POLL_INTERVAL_MS / 1000} s…`;
  // Rewriting the same text would make screen readers announce it on every poll.
  if (banner.textContent !== text) banner.textContent = text;
  banner.dataset['state'] = 'error';
  banner.hidden = false;
}

function clearBanner() {
  banner.dataset['state'] = 'ok';
  banner.hidden = true;
  banner.textContent = '';
}

// ---- ping table ----

/** @type {string[]} */
let columns = [];
/** @type {Map<string, HTMLTableRowElement>} */
const rowsByUrl = new Map();
let selectedUrl = '';

/** @param {readonly string[]} next */
function renderHeader(next) {
  tableHeadRow.replaceChildren(
    ...next.map((column) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset['column'] = column;
      th.textContent = columnLabel(column);
      return th;
    }),
  );
  tableBody.replaceChildren();
  rowsByUrl.clear();
  columns = [...next];
}

/** @param {string} url */
function createRow(url) {
  const row = document.createElement('tr');
  row.dataset['url'] = url;
  for (const column of columns) {
    if (column === 'url') {
      const th = document.createElement('th');
      th.scope = 'row';
      th.dataset['column'] = column;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'url-button';
      button.dataset['testid'] = 'url-button';
      button.textContent = url;
      button.title = `Show details of ${url}`;
      button.addEventListener('click', () => void showDetails(url));
      th.append(button);
      row.append(th);
      continue;
    }
    const td = document.createElement('td');
    td.dataset['column'] = column;
    row.append(td);
  }
  return row;
}

/**
 * Updates the cells in place, so focus and selection survive the next poll.
 * @param {HTMLTableRowElement} row
 * @param {Record<string, unknown>} data
 */
function updateRow(row, data) {
  columns.forEach((column, index) => {
    const cell = row.children[index];
    if (column === 'url' || !(cell instanceof HTMLElement)) return;
    const value = data[column];
    const text = formatCell(value);
    if (cell.textContent !== text) cell.textContent = text;
    if (column === 'statusCode') {
      cell.dataset['tone'] = statusTone(value);
      return;
    }
    cell.classList.toggle('numeric', typeof value === 'number');
  });
  row.classList.toggle('selected', row.dataset['url'] === selectedUrl);
}

/**
 * Right-aligns the header of every column whose values are numbers, like the numbers below it.
 * @param {ReadonlyArray<Record<string, unknown>>} rows
 */
function alignNumericHeaders(rows) {
  for (const th of tableHeadRow.children) {
    if (!(th instanceof HTMLElement)) continue;
    const column = th.dataset['column'] ?? '';
    th.classList.toggle(
      'numeric',
      column !== 'statusCode' && rows.some((row) => typeof row[column] === 'number'),
    );
  }
}

/** @param {ReadonlyArray<Record<string, unknown>>} stats */
function renderTable(stats) {
  const rows = stats.filter((row) => typeof row['url'] === 'string');
  const next = columnsOf(rows);
  if (next.join('\n') !== columns.join('\n')) renderHeader(next);
  const seen = new Set();
  rows.forEach((data, index) => {
    const url = String(data['url']);
    seen.add(url);
    let row = rowsByUrl.get(url);
    if (!row) {
      row = createRow(url);
      rowsByUrl.set(url, row);
    }
    updateRow(row, data);
    if (tableBody.children[index] !== row) tableBody.insertBefore(row, tableBody.children[index] ?? null);
  });
  for (const [url, row] of rowsByUrl) {
    if (seen.has(url)) continue;
    row.remove();
    rowsByUrl.delete(url);
  }
  alignNumericHeaders(rows);
  tableEmpty.hidden = rows.length > 0;
  table.hidden = rows.length === 0;
}

/**
 * The version that answered each recent poll, oldest first; undefined where pinger did not.
 * @type {Array<string | undefined>}
 */
const recentVersions = [];

/**
 * Records who answered this poll: during a canary the history shows the split as the user meets it.
 * @param {string | undefined} version
 */
function renderVersion(version) {
  pingerVersion.textContent = version ?? '—';
  recentVersions.push(version);
  if (recentVersions.length > VERSION_HISTORY_SIZE) recentVersions.shift();
  const answered = recentVersions.filter((entry) => entry !== undefined);
  versionMixText.textContent =
    versionMix(answered)
      .map(([name, count]) => `${name} ×${count}`)
      .join(' · ') || '—';
  versionHistory.replaceChildren(
    ...recentVersions.map((entry) => {
      const item = document.createElement('li');
      item.dataset['version'] = entry ?? 'none';
      item.textContent = entry ?? '—';
      item.title = entry ? `answered by pinger ${entry}` : 'pinger did not answer';
      return item;
    }),
  );
}

/**
 * @param {unknown} body
 * @param {Headers} headers
 */
function renderMeta(body, headers) {
  const interval = probeIntervalMs(body, headers);
  pollInterval.textContent = interval === undefined ? '—' : `${interval / 1000} s`;
  const now = new Date();
  lastUpdated.dateTime = now.toISOString();
  lastUpdated.textContent = now.toLocaleTimeString();
}

// ---- polling ----

/** @type {ReturnType<typeof setTimeout> | undefined} */
let pollTimer;
let polling = false;
let refreshRequested = false;

async function poll() {
  polling = true;
  try {
    const result = await requestJson('/ping/stats');
    const { body, headers } = result;
    renderVersion(answeringVersion(body, headers));
    const rows = result.ok ? statsRows(body) : undefined;
    if (rows) {
      clearBanner();
      renderTable(rows);
      renderMeta(body, headers);
      table.dataset['state'] = 'ok';
      return;
    }
    showBanner(
      result.ok ? 'Pinger sent stats in an unexpected shape' : pollProblem(result.status, body, headers),
    );
    table.dataset['state'] = rowsByUrl.size > 0 ? 'stale' : 'loading';
  } finally {
    polling = false;
    schedulePoll(refreshRequested ? 0 : POLL_INTERVAL_MS);
    refreshRequested = false;
  }
}

/** @param {number} delayMs */
function schedulePoll(delayMs) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(() => void poll(), delayMs);
}

/** Polls now, or right after the poll in flight, whose answer may predate a change. */
function refreshNow() {
  if (polling) {
    refreshRequested = true;
    return;
  }
  schedulePoll(0);
}

// ---- add a URL ----

/**
 * @param {'pending' | 'ok' | 'error'} state
 * @param {string} message
 */
function setAddMessage(state, message) {
  addMessage.dataset['state'] = state;
  addMessage.textContent = message;
  urlInput.setAttribute('aria-invalid', String(state === 'error'));
}

/** @param {SubmitEvent} event */
async function addUrl(event) {
  event.preventDefault();
  const url = urlInput.value.trim();
  if (!url) {
    setAddMessage('error', 'Enter a URL to ping, for example https://example.com');
    urlInput.focus();
    return;
  }
  addButton.disabled = true;
  setAddMessage('pending', 'Adding…');
  const normalized = URL.canParse(url) ? new URL(url).href : url;
  const watchedBefore = rowsByUrl.has(normalized);
  const result = await requestJson('/ping/updateUrl', { url });
  addButton.disabled = false;
  const body = result.body;
  if (!result.ok || !urlList(body)) {
    setAddMessage('error', errorMessage(result.status, body));
    urlInput.focus();
    return;
  }
  setAddMessage(
    'ok',
    watchedBefore
      ? `${normalized} is already in the list.`
      : `Added ${normalized}; its first result appears after the next probe.`,
  );
  urlInput.value = '';
  refreshNow();
}

// ---- details ----

let latestDetailsRequest = 0;

/** @param {string} url */
async function showDetails(url) {
  const request = ++latestDetailsRequest;
  selectedUrl = url;
  for (const [rowUrl, row] of rowsByUrl) row.classList.toggle('selected', rowUrl === url);
  detailsPanel.dataset['state'] = 'loading';
  detailsPanel.setAttribute('aria-busy', 'true');
  detailsUrl.textContent = url;
  detailsMessage.textContent = 'Loading…';
  detailsList.replaceChildren();

  const result = await requestJson('/url/info', { url });
  // A later click wins: its answer must not be overwritten by a slower, older one.
  if (request !== latestDetailsRequest) return;
  detailsPanel.removeAttribute('aria-busy');
  const body = result.body;
  if (!result.ok || !isRecord(body)) {
    detailsPanel.dataset['state'] = 'error';
    detailsMessage.textContent = errorMessage(result.status, body);
    return;
  }
  detailsPanel.dataset['state'] = 'ok';
  detailsMessage.textContent = '';
  detailsList.replaceChildren(
    ...Object.entries(body).flatMap(([key, value]) => {
      const term = document.createElement('dt');
      term.textContent = columnLabel(key);
      const description = document.createElement('dd');
      description.dataset['field'] = key;
      description.textContent = formatCell(value);
      return [term, description];
    }),
  );
}

form.addEventListener('submit', (event) => void addUrl(event));
void poll();
