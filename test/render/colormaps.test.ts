// The colour maps: sequential rises in lightness; diverging is white at 0, symmetric, darker with |v|.
import { describe, expect, it } from 'vitest';
import { diverging, luminance, sequential } from '../../src/render/colormaps.js';

const samples = Array.from({ length: 257 }, (_, i) => i / 256);

describe('sequential', () => {
  it('rises monotonically in luminance from dark to light (up to rounding to whole channel values)', () => {
    const l = samples.map((t) => luminance(sequential(t)));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThanOrEqual(l[i - 1] - 0.5);
    for (let i = 16; i < l.length; i += 16) expect(l[i]).toBeGreaterThan(l[i - 16]);
    expect(l[256] - l[0]).toBeGreaterThan(150);
  });

  it('clamps outside [0, 1]', () => {
    expect(sequential(-3)).toEqual(sequential(0));
    expect(sequential(7)).toEqual(sequential(1));
  });
});

describe('diverging', () => {
  it('is near white at 0', () => {
    for (const c of diverging(0)) expect(c).toBeGreaterThanOrEqual(240);
  });

  it('mirrors v and −v by swapping red and blue', () => {
    for (const v of samples) {
      const [r, g, b] = diverging(v);
      expect(diverging(-v)).toEqual([b, g, r]);
    }
  });

  it('is red for positive and blue for negative values, darker as |v| grows', () => {
    const [r, , b] = diverging(0.6);
    expect(r).toBeGreaterThan(b);
    const [r2, , b2] = diverging(-0.6);
    expect(b2).toBeGreaterThan(r2);
    const l = samples.map((v) => luminance(diverging(v)));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThanOrEqual(l[i - 1]);
    expect(diverging(5)).toEqual(diverging(1));
  });
});
