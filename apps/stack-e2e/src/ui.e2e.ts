import { freePort, startProcess, type ProcessHandle } from '@learnathon/process';
import { builtScript } from '@learnathon/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
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

/**
 * A stand-in for the frontend's Envoy in a canary overlay (no Envoy runs here): a weighted split
 * that sends every `every`-th request to the canary and the rest to the stable pinger.
 */
async function startSplit(stable: string, canary: string, every: number) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const target = new URL(req.url ?? '/', requests % every === 0 ? canary : stable);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A built pinger of `version` on a free loopback port. */
async function startPinger(version: 'v1' | 'v2', port: number): Promise<ProcessHandle> {
  return startProcess({
    script: builtScript('apps/pinger/main.js'),
    env: { PORT: String(port), HOST: '127.0.0.1', PINGER_VERSION: version, PINGER_INTERVAL_MS: '500' },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  });
}

describe('the UI during a canary', () => {
  let pingers: ProcessHandle[] = [];
  let split: Awaited<ReturnType<typeof startSplit>>;
  let frontend: ProcessHandle;
  let base: string;
  beforeAll(async () => {
    const [v1, v2, port] = [await freePort(), await freePort(), await freePort()];
    pingers = await Promise.all([startPinger('v1', v1), startPinger('v2', v2)]);
    split = await startSplit(`http://127.0.0.1:${v1}`, `http://127.0.0.1:${v2}`, 2);
    base = `http://127.0.0.1:${port}`;
    frontend = await startProcess({
      script: builtScript('apps/frontend/main.js'),
      env: { PORT: String(port), HOST: '127.0.0.1', PINGER_BASE_URL: split.url },
      readyUrl: `${base}/readyz`,
    });
  });
  afterAll(async () => {
    await frontend?.stop();
    await split?.close();
    await Promise.all(pingers.map((pinger) => pinger.stop()));
  });

  it('shows which pinger version answered each refresh, so a 50/50 split is visible', async () => {
    await page.goto(`${base}/`);
    await page.locator('#version-history li[data-version=v1]').first().waitFor({ timeout: 15_000 });
    await page.locator('#version-history li[data-version=v2]').first().waitFor({ timeout: 15_000 });
    const history = await page
      .locator('#version-history li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-version')));
    // Only the page's polls pass the split, so every refresh was answered by the other version.
    expect(history.length).toBeGreaterThan(1);
    history.slice(1).forEach((version, index) => expect(version).not.toBe(history[index]));
    expect(await page.locator('#version-mix').textContent()).toMatch(/^v[12] ×\d+ · v[12] ×\d+$/);
  });
});

describe('the UI through an outage of pinger and details', () => {
  let pinger: ProcessHandle | undefined;
  let details: ProcessHandle | undefined;
  let frontend: ProcessHandle;
  let base: string;
  const ports = { pinger: 0, details: 0 };

  const bringPingerUp = async () => (pinger = await startPinger('v2', ports.pinger));
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
    await bringPingerUp();
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

    await bringPingerUp();
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
