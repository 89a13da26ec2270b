import { chromium, type Browser } from 'playwright-core';
import { requireBinary } from '@learnathon/testing';

/** Debian's Chromium, headless, with everything that would reach beyond this machine turned off. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = requireBinary('/usr/bin/chromium', 'chromium');
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
