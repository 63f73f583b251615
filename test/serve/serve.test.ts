// `blurig serve` end to end: its page in Chromium gets frames within seconds (several viewers), shows forced drops, and Ctrl-C closes everything.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, NO_CHROMIUM } from '../helpers/chromium.js';
import { waitUntilGone } from '../helpers/processes.js';
import { runCli } from '../helpers/runCli.js';
import { childrenOf, spawnCli, waitFor } from '../cli/spawnCli.js';

if (chromiumPath === undefined) console.warn(NO_CHROMIUM);

const MODEL = ['--model', 'builtin', '--workers', '1'];
const urlOf = (stdout: string) => /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0];

describe('blurig serve without a browser', () => {
  it('refuses a port in use with one line, before loading anything', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(['serve', 'samples/mixture.wav', ...MODEL, '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([`blurig: Port ${port} on 127.0.0.1 is in use: choose another with --port (--port 0 picks a free one)`]);
    } finally {
      blocker.close();
    }
  });

  it('checks --port and lists serve in the help', async () => {
    const bad = await runCli(['serve', 'samples/mixture.wav', '--port', '70000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Expected the `--port` option to be at most 65535/);
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).toMatch(/--host ADDR/);
    expect((await runCli(['--help'])).stdout).toMatch(/serve <input\|->/);
  });
});

describe.skipIf(chromiumPath === undefined)('blurig serve, watched in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('delivers frames to two viewers within seconds, and Ctrl-C closes ffmpeg, the sockets and exits 130', async () => {
    const cli = spawnCli(['serve', '--realtime', 'samples/mixture.wav', ...MODEL, '--port', '0']);
    await waitFor(() => urlOf(cli.stdout()) !== undefined, 'the URL');
    const url = urlOf(cli.stdout())!;
    const ffmpeg = childrenOf(cli.child.pid!);
    const pages = await Promise.all([browser.newPage(), browser.newPage()]);
    const problems: string[] = [];
    for (const page of pages) page.on('pageerror', (e) => problems.push(e.message)).on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const opened = performance.now();
    await Promise.all(pages.map((page) => page.goto(url)));
    await Promise.all(pages.map((page) => page.waitForFunction(() => Number(document.body.dataset.frames) > 0, null, { timeout: 20_000 })));
    const firstFrameMs = performance.now() - opened;
    console.log(`serve: first frame on the page ${firstFrameMs.toFixed(0)} ms after opening it`);
    expect(firstFrameMs).toBeLessThan(15_000);
    // Frames keep arriving at about the audio's rate (realtime): more a second later.
    const counts = await Promise.all(pages.map((page) => page.evaluate(() => Number(document.body.dataset.frames))));
    await pages[0].waitForFunction((n) => Number(document.body.dataset.frames) > n, counts[0], { timeout: 10_000 });
    const drawn = await pages[0].evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-view="spectrogram"]')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return new Set(Array.from({ length: data.length / 4 }, (_, i) => (data[4 * i] << 16) | (data[4 * i + 1] << 8) | data[4 * i + 2])).size;
    });
    expect(drawn).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(130);
    expect(cli.stderr()).toMatch(/interrupted: served \d+ frames \(\d+ patches dropped\) to 2 viewers/);
    for (const pid of ffmpeg) expect(await waitUntilGone(pid)).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
    await Promise.all(pages.map((page) => page.close()));
  });

  it('shows the drops when attribution falls behind (a file read at full speed, one waiting patch)', async () => {
    const cli = spawnCli(['serve', 'samples/mixture.wav', ...MODEL, '--class', 'Speech', '--class', 'Siren', '--steps', '64', '--max-waiting', '1', '--port', '0']);
    await waitFor(() => urlOf(cli.stdout()) !== undefined, 'the URL');
    const page = await browser.newPage();
    await page.goto(urlOf(cli.stdout())!);
    await page.waitForFunction(() => Number(document.body.dataset.drops) > 0 && Number(document.body.dataset.frames) > 0, null, { timeout: 30_000 });
    const shown = await page.locator('#drop-list li').count();
    expect(shown).toBeGreaterThan(0);
    expect(await page.locator('.live-stats .drops.some').textContent()).toMatch(/drops \d+/);
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(130);
    await page.close();
  });
});
