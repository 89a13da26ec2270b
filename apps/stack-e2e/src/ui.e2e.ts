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

describe('the UI when pinger is down', () => {
  let frontend: ProcessHandle;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    const dead = await freePort();
    base = `http://127.0.0.1:${port}`;
    frontend = await startProcess({
      script: builtScript('apps/frontend/main.js'),
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PINGER_BASE_URL: `http://127.0.0.1:${dead}`,
        DETAILS_BASE_URL: `http://127.0.0.1:${dead}`,
      },
      readyUrl: `${base}/readyz`,
    });
  });
  afterAll(async () => {
    await frontend?.stop();
  });

  it('says so in the status banner instead of breaking', async () => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${base}/`);
    await page
      .locator('#status-banner[data-state=error]', { hasText: 'pinger is unreachable' })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('#status-banner').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
