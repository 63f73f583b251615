// The evidence extent of a detection: the shortest run of 10 ms frames holding most of a class's positive attribution.
import { frameTimeSec } from '../audio/framing.js';
import { OptionError, ShapeError } from '../errors/index.js';

/** Relative slack on "mass ≥ share × total", for the rounding of prefix sums (a 1e-9 share of the mass). */
const MASS_SLACK = 1e-9;

/**
 * The shortest contiguous run of frames whose positive mass is at least `share` of the total (ties: the larger
 * mass, then the earliest), as seconds from the start of its first frame to the end of its last frame's 10 ms hop.
 * `frameMass[i]` is the mass at frame `firstFrame + i`; negative, NaN and infinite entries count as 0.
 * Returns null when there is no positive mass. O(n).
 */
export function evidenceExtent(frameMass: ArrayLike<number>, firstFrame: number, share = 0.9): { startSec: number; endSec: number } | null {
  if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 1) throw new OptionError('share', 'a number in (0, 1]', share);
  if (!Number.isSafeInteger(firstFrame) || firstFrame < 0) throw new OptionError('firstFrame', 'an integer ≥ 0', firstFrame);
  const n = frameMass.length;
  // prefix[i] = mass of frames 0 … i − 1; non-decreasing, so the window sums below are monotone in both ends.
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + massAt(frameMass, i);
  const total = prefix[n];
  if (!(total > 0)) return null;
  if (share === 1) return extentOfFrames(firstFrame, firstPositive(frameMass), lastPositive(frameMass));
  const need = share * total - MASS_SLACK * total;
  let bestStart = 0;
  let bestEnd = n - 1;
  let bestMass = total;
  let start = 0;
  for (let end = 0; end < n; end++) {
    // The latest start whose window [start, end] still holds enough: the shortest window ending at `end`.
    while (start < end && prefix[end + 1] - prefix[start + 1] >= need) start++;
    const mass = prefix[end + 1] - prefix[start];
    if (mass < need) continue;
    const shorter = end - start < bestEnd - bestStart;
    if (shorter || (end - start === bestEnd - bestStart && mass > bestMass)) {
      bestStart = start;
      bestEnd = end;
      bestMass = mass;
    }
  }
  return extentOfFrames(firstFrame, bestStart, bestEnd);
}

/**
 * Positive attribution mass per frame of a row-major [frames × bands] attribution: Σ over bands of max(0, a),
 * NaN counting as 0.
 */
export function positiveFrameMass(attribution: Float32Array, frames: number, bands: number): Float64Array {
  if (attribution.length !== frames * bands) throw new ShapeError('attribution', [frames, bands], [attribution.length]);
  const mass = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let b = f * bands, end = b + bands; b < end; b++) if (attribution[b] > 0) sum += attribution[b];
    mass[f] = sum;
  }
  return mass;
}

function massAt(frameMass: ArrayLike<number>, i: number): number {
  const v = frameMass[i];
  return v > 0 && v < Infinity ? v : 0;
}

function firstPositive(frameMass: ArrayLike<number>): number {
  let i = 0;
  while (massAt(frameMass, i) === 0) i++;
  return i;
}

function lastPositive(frameMass: ArrayLike<number>): number {
  let i = frameMass.length - 1;
  while (massAt(frameMass, i) === 0) i--;
  return i;
}

function extentOfFrames(firstFrame: number, start: number, end: number): { startSec: number; endSec: number } {
  return { startSec: frameTimeSec(firstFrame + start), endSec: frameTimeSec(firstFrame + end + 1) };
}
