// Decimated copies of a [frames × bands] byte grid, halving the frames per level, so a view draws at most ~2 cells per pixel at any zoom.

/** Level k holds ceil(frames / 2^k) frames; level 0 is the data itself. */
export interface Pyramid {
  readonly bands: number;
  readonly levels: readonly { readonly frames: number; readonly values: Uint8Array | Int8Array }[];
}

/**
 * Builds levels down to a few hundred frames. `kind` says how two frames merge: `max` (log-mel: a short loud sound
 * stays visible) or `signed` (attribution: the larger magnitude with its sign; `missing` codes only where both are).
 */
export function buildPyramid(values: Uint8Array | Int8Array, frames: number, bands: number, kind: 'max' | 'signed', missing = -128): Pyramid {
  const levels = [{ frames, values }];
  for (let level = levels[0]; level.frames > 512; ) {
    const next = Math.ceil(level.frames / 2);
    const out = kind === 'max' ? new Uint8Array(next * bands) : new Int8Array(next * bands);
    const src = level.values;
    for (let t = 0; t < next; t++) {
      const a = 2 * t * bands;
      const b = 2 * t + 1 < level.frames ? a + bands : a;
      for (let j = 0; j < bands; j++) {
        const x = src[a + j];
        const y = src[b + j];
        if (kind === 'max') out[t * bands + j] = x > y ? x : y;
        else out[t * bands + j] = x === missing ? y : y === missing ? x : Math.abs(x) >= Math.abs(y) ? x : y;
      }
    }
    level = { frames: next, values: out };
    levels.push(level);
  }
  return { bands, levels };
}

/** The coarsest level with at most one frame per device pixel's half (so cells are never wider than ~2 frames a pixel). */
export function levelFor(pyramid: Pyramid, framesPerPixel: number): number {
  const wanted = Math.floor(Math.log2(Math.max(1, framesPerPixel)));
  return Math.min(pyramid.levels.length - 1, Math.max(0, wanted));
}
