import { chromium, type Browser } from 'playwright-core';
import { systemBinary } from './paths';

/** Debian's Chromium, headless, with everything that would reach beyond this machine turned off. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = systemBinary('/usr/bin/chromium', 'chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
