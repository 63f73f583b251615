// `blurig explain --png --svg --pdf` with the built-in student: all three figures written, each a valid file of its kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { runCli } from '../helpers/runCli.js';
import { decodePng } from '../render/decodePng.js';

afterAll(removeTempDirs);

describe('blurig explain figures', () => {
  it('writes PNG (at --dpi), SVG (no <text>) and PDF (page of --fig-size) from one run', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const [png, svg, pdf] = ['f.png', 'f.svg', 'f.pdf'].map((name) => join(dir, name));
    const args = ['explain', 'samples/tones.wav', '--model', 'builtin', '--workers', '1', '--steps', '4', '--png', png, '--svg', svg, '--pdf', pdf, '--dpi', '100', '--fig-size', '6,9', '--cmap', 'coolwarm', '--colour-scale', 'per-class'];
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(0);
    const { width, height } = decodePng(readFileSync(png));
    expect([width, height]).toEqual([600, 900]); // 6 × 9 in at 100 dpi
    const svgText = readFileSync(svg, 'utf8');
    expect(svgText).toMatch(/^<\?xml[^>]*>\n<svg [^>]*width="432pt" height="648pt"/);
    expect(svgText).not.toMatch(/<text/);
    const pdfText = readFileSync(pdf).toString('latin1');
    expect(pdfText.startsWith('%PDF-1.4')).toBe(true);
    expect(pdfText).toMatch(/\/MediaBox \[0 0 432 648\]/);
    expect(pdfText.endsWith('%%EOF\n')).toBe(true);
  });
});
