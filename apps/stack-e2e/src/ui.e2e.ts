import { freePort, startProcess, type ProcessHandle } from '@learnathon/service-runtime/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { builtScript } from './support/paths';
import { startStack, type Stack } from './support/stack';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page?.close();
});

/** The data fields the live table has a column for, from its header cells. */
const columns = (p: Page) =>
  p
    .locator('#ping-table thead th[data-column]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-column')));

describe('the UI against the local stack with pinger v2', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ pinger: 'v2' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the live table with columns from the data, v2 extra field included, and the answering version', async () => {
    await page.goto(`${stack.frontend}/`);
    await page.locator('#ping-table tbody tr').first().waitFor();
    expect((await columns(page)).sort()).toEqual([
      'latency',
      'responseSize',
      'statusCode',
      'success',
      'total',
      'url',
    ]);
    await expect(page.locator('#pinger-version').textContent()).resolves.toContain('v2');
    expect(await page.locator('#ping-table tbody tr').count()).toBe(4);
  });

  it('adds a URL through the form, shows a refusal for a bad one, and describes a URL on click', async () => {
    await page.goto(`${stack.frontend}/`);
    await page.locator('#ping-table tbody tr').first().waitFor();

    const newUrl = `${stack.details}/readyz`;
    await page.fill('#url-input', newUrl);
    await page.click('#add-url-button');
    await page.locator(`#ping-table tr[data-url="${newUrl}"]`).waitFor({ timeout: 15_000 });

    await page.fill('#url-input', 'ftp://example.invalid/');
    await page.click('#add-url-button');
    await page
      .locator('#add-url-message[data-state=error]', { hasText: 'http or https' })
      .waitFor({ timeout: 10_000 });

    await page.locator(`#ping-table tr[data-url="${newUrl}"] [data-testid=url-button]`).click();
    await page.locator('#details-panel[data-state=ok]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#details-url').textContent()).toContain(newUrl);
    expect(await page.locator('#details-list dd[data-field=status]').textContent()).toContain('200');
  });
});

describe('the UI through an outage of pinger and details', () => {
  let pinger: ProcessHandle | undefined;
  let details: ProcessHandle | undefined;
  let frontend: ProcessHandle;
  let base: string;
  const ports = { pinger: 0, details: 0 };

  const startPinger = async () =>
    (pinger = await startProcess({
      script: builtScript('apps/pinger/main.js'),
      env: { PORT: String(ports.pinger), HOST: '127.0.0.1', PINGER_VERSION: 'v2', PINGER_INTERVAL_MS: '500' },
      readyUrl: `http://127.0.0.1:${ports.pinger}/readyz`,
    }));
  const startDetails = async () =>
    (details = await startProcess({
      script: builtScript('apps/details/main.js'),
      env: { PORT: String(ports.details), HOST: '127.0.0.1' },
      readyUrl: `http://127.0.0.1:${ports.details}/readyz`,
    }));

  beforeAll(async () => {
    ports.pinger = await freePort();
    ports.details = await freePort();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await startPinger();
    frontend = await startProcess({
      script: builtScript('apps/frontend/main.js'),
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PINGER_BASE_URL: `http://127.0.0.1:${ports.pinger}`,
        DETAILS_BASE_URL: `http://127.0.0.1:${ports.details}`,
      },
      readyUrl: `${base}/readyz`,
    });
  });
  afterAll(async () => {
    await Promise.all([frontend?.stop(), pinger?.stop(), details?.stop()]);
  });

  const unavailable = (p: Page) =>
    p
      .locator('#status-banner[data-state=error]', { hasText: 'Pinger is unavailable' })
      .waitFor({ timeout: 15_000 });

  it('says pinger is unavailable while it is down, still loads, and recovers by itself', async () => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${base}/`);
    await page.locator('#ping-table[data-state=ok] tbody tr').first().waitFor({ timeout: 15_000 });

    await pinger?.stop('SIGKILL');
    await unavailable(page);
    expect(await page.locator('#status-banner').textContent()).toContain('pinger is unreachable');
    // The last rows stay on screen, marked stale; the refresh pinger missed shows as such.
    expect(await page.locator('#ping-table').getAttribute('data-state')).toBe('stale');
    await page.locator('#version-history li[data-version=none]').first().waitFor();

    const reload = await page.reload();
    expect(reload?.status()).toBe(200);
    await unavailable(page);

    await startPinger();
    await page.locator('#ping-table[data-state=ok] tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#status-banner').isHidden()).toBe(true);
    expect(await page.locator('#pinger-version').textContent()).toBe('v2');
    expect(pageErrors).toEqual([]);
  });

  it("shows details' outage in the details panel, and its answer once it is back", async () => {
    await page.goto(`${base}/`);
    const urlButton = page.locator('#ping-table [data-testid=url-button]').first();
    await urlButton.click();
    await page
      .locator('#details-panel[data-state=error]', { hasText: 'details is unreachable' })
      .waitFor({ timeout: 10_000 });

    await startDetails();
    await urlButton.click();
    await page.locator('#details-panel[data-state=ok]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#details-list dd[data-field=status]').textContent()).toBe('200');
  });
});
