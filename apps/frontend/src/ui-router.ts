import { Router } from 'express';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The page's files, which run in the browser: next to the sources in development and tests,
 * copied next to main.js by the build (see project.json assets).
 */
export const BROWSER_DIR = path.join(__dirname, 'browser');

/** Every file the UI consists of: an allowlist, so nothing else in the directory is ever served. */
export const BROWSER_FILES = [
  { route: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { route: '/app.js', file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  { route: '/table-model.js', file: 'table-model.js', contentType: 'text/javascript; charset=utf-8' },
  { route: '/styles.css', file: 'styles.css', contentType: 'text/css; charset=utf-8' },
] as const;

/**
 * The page may load only its own files and call only this origin: a URL from the table can never
 * turn into a script, and the UI works without internet access.
 */
const UI_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

async function readUiFile(dir: string, file: string): Promise<Buffer> {
  const filePath = path.join(dir, file);
  try {
    return await readFile(filePath);
  } catch (error) {
    throw new Error(
      `UI file ${filePath} is unreadable (${(error as NodeJS.ErrnoException).code ?? 'ERROR'}); was the app built with its assets?`,
      { cause: error },
    );
  }
}

/** Serves the UI from memory: the files are small, and the hot path then never touches the disk. */
export async function uiRouter(dir = BROWSER_DIR): Promise<Router> {
  const router = Router();
  for (const { route, file, contentType } of BROWSER_FILES) {
    const content = await readUiFile(dir, file);
    router.get(route, (_req, res) => {
      res.set(UI_HEADERS);
      res.setHeader('content-type', contentType);
      res.setHeader('content-length', content.length);
      res.end(content);
    });
  }
  return router;
}
