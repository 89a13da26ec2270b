import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PAGE_HOOK_IDS } from '../test/page-hooks';
import { BROWSER_DIR, BROWSER_FILES, uiRouter } from './ui-router';

const read = (file: string) => readFileSync(path.join(BROWSER_DIR, file), 'utf8');

/**
 * Offline checks of the UI sources. They stand in for part of the browser test (in the e2e
 * project): a renamed id or an HTML sink would break the page without breaking any server test.
 */
describe('UI sources', () => {
  const html = read('index.html');
  const script = read('app.js');

  it('has every element the script looks up', () => {
    const ids = [...script.matchAll(/element\('([\w-]+)'/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(html).toContain(`id="${id}"`);
  });

  it('documents the hooks browser tests rely on at the top of the script', () => {
    const header = script.slice(0, script.indexOf('import '));
    for (const id of PAGE_HOOK_IDS) {
      expect(header).toContain(`#${id}`);
      expect(html).toContain(`id="${id}"`);
    }
  });

  it('writes data only as text, never as HTML', () => {
    for (const file of ['app.js', 'table-model.js']) {
      expect(read(file)).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
      );
    }
  });

  it('labels the URL input and announces the status banner', () => {
    expect(html).toMatch(/<label for="url-input">/);
    expect(html).toMatch(/id="status-banner"[^>]*aria-live="polite"/);
  });

  it('ships exactly the files it serves', () => {
    for (const { file } of BROWSER_FILES) expect(read(file).length).toBeGreaterThan(0);
  });
});

describe('uiRouter', () => {
  it('refuses to start when a UI file is missing, naming the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'frontend-ui-'));
    try {
      await writeFile(path.join(dir, 'index.html'), '<!doctype html>');
      await expect(uiRouter(dir)).rejects.toThrow(
        `UI file ${path.join(dir, 'app.js')} is unreadable (ENOENT)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
