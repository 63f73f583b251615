// The HTML report in a real browser: it opens from disk with no console error and no request, draws, jumps to a clicked detection, and plays.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, NO_CHROMIUM } from '../helpers/chromium.js';
import { runCli } from '../helpers/runCli.js';

if (chromiumPath === undefined) console.warn(NO_CHROMIUM);

describe.skipIf(chromiumPath === undefined)('blurig explain --html, in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blurig-report-'));
  const file = join(dir, 'mixture.html');
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const result = await runCli(['explain', 'samples/mixture.wav', '--model', 'builtin', '--html', file]);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !/^(file|data|blob):/.test(r.url()) && requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => document.body.dataset.ready === '1' || document.body.dataset.error !== undefined, null, { timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one file that needs nothing else: no script, style or media source outside it', () => {
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(script|link|img|audio|source)[^>]+(src|href)="(?!data:)/i);
    expect(html).toContain("default-src 'none'"); // the page's own CSP forbids any fetch
  });

  it('opens with no console error and no request', async () => {
    expect(await page.evaluate(() => document.body.dataset.error ?? null)).toBeNull();
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws every view: the spectrogram and each class have many distinct colours', async () => {
    const colours = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('canvas.plot')].map((canvas) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      }),
    );
    expect(colours.length).toBeGreaterThanOrEqual(5); // detections, spectrogram, ≥ 1 class (attribution + score), overview
    expect(colours[1]).toBeGreaterThan(50); // the spectrogram
    expect(Math.min(...colours)).toBeGreaterThan(3);
  });

  it('lists the detections, and a click on one moves the view to it and shows its patches', async () => {
    const rows = await page.locator('tr.detection').count();
    expect(rows).toBeGreaterThan(0);
    const before = await page.evaluate(() => [Number(document.body.dataset.viewStart), Number(document.body.dataset.viewEnd)]);
    await page.locator('tr.detection').last().click();
    await page.waitForFunction(() => document.body.dataset.selected !== undefined);
    const after = await page.evaluate(() => [Number(document.body.dataset.viewStart), Number(document.body.dataset.viewEnd)]);
    const span = await page.locator('tr.detection.selected td').nth(1).textContent();
    const [startSec, endSec] = span!.replace(/ s/g, '').split('–').map(Number);
    expect(after).not.toEqual(before);
    expect(after[0]).toBeLessThanOrEqual(startSec);
    expect(after[1]).toBeGreaterThanOrEqual(Math.min(endSec, before[1]));
    expect(after[1] - after[0]).toBeLessThan(before[1] - before[0]);
    expect(await page.locator('#detail table tbody tr').count()).toBeGreaterThan(0); // its patches' completeness
    expect(await page.locator('#detail canvas').count()).toBe(1); // their scale curves
  });

  it('loads the audio, and the cursor advances while it plays (muted)', async () => {
    await page.waitForFunction(() => document.body.dataset.audio === 'ready', null, { timeout: 30_000 });
    await page.locator('#zoom-fit').click();
    await page.evaluate(() => {
      for (const audio of document.querySelectorAll('audio')) audio.muted = true;
    });
    const from = Number(await page.evaluate(() => document.body.dataset.cursorSec));
    await page.locator('#play').click();
    await page.waitForFunction((start) => Number(document.body.dataset.cursorSec) > start + 0.5, from, { timeout: 15_000 });
    const cursor = await page.locator('.cursor').boundingBox();
    expect(cursor).not.toBeNull();
    await page.locator('#play').click(); // pause
    expect(problems).toEqual([]);
  });

  it('plays the evidence of the selected detection', async () => {
    await page.locator('tr.detection').first().click();
    await page.locator('#play-evidence').click();
    await page.waitForFunction(() => document.body.dataset.playing === 'evidence', null, { timeout: 10_000 });
    // The clip plays (muted) and the cursor follows it from the detection's start.
    await page.waitForFunction(() => (document.getElementById('listen-audio') as HTMLAudioElement).currentTime > 0.3, null, { timeout: 10_000 });
    const clip = await page.evaluate(() => {
      const audio = document.getElementById('listen-audio') as HTMLAudioElement;
      return { duration: audio.duration, error: audio.error?.message ?? null, muted: audio.muted, cursorSec: Number(document.body.dataset.cursorSec) };
    });
    expect(clip.error).toBeNull();
    expect(clip.muted).toBe(true);
    expect(clip.duration).toBeGreaterThan(0.5);
    expect(clip.cursorSec).toBeGreaterThan(0.3); // the first detection starts at 0 s: offset 0 + the clip's time
  });
});
