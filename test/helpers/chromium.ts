// Finds Debian's Chromium (or BLURIG_CHROMIUM) and launches it headless through playwright-core, for the browser tests; undefined when there is none.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = [process.env.BLURIG_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The first Chromium executable found, or undefined (the browser tests then skip, saying why). */
export const chromiumPath: string | undefined = CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path));

export const NO_CHROMIUM = 'no Chromium found (apt-get install chromium, or set BLURIG_CHROMIUM): the browser tests are skipped';

/** Headless Chromium with no network services of its own and autoplay allowed (the audio test plays muted). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}
