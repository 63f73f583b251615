// Input gradients of strided SAME/VALID convolutions from forward conv kernels only (no backprop kernels needed).
import * as tf from '@tensorflow/tfjs-core';

/** Zeros before and after one spatial axis. */
type AxisPads = readonly [before: number, after: number];
type Padding = 'same' | 'valid';

/** Forward geometry of one spatial axis: output size and TF's zeros before the input (SAME puts the extra one after). */
function forwardAxis(inSize: number, kernel: number, stride: number, padding: Padding): { outSize: number; before: number } {
  const outSize = padding === 'same' ? Math.ceil(inSize / stride) : Math.ceil((inSize - kernel + 1) / stride);
  const total = padding === 'same' ? Math.max((outSize - 1) * stride + kernel - inSize, 0) : 0;
  return { outSize, before: Math.floor(total / 2) };
}

/**
 * Zeros around the stride-dilated output gradient (length (out − 1)·stride + 1) so that a VALID correlation with the
 * flipped kernel yields exactly `inSize` values: input i received output o through tap i − o·stride + before.
 */
export function backwardPads(inSize: number, kernel: number, stride: number, padding: Padding): AxisPads {
  const { outSize, before } = forwardAxis(inSize, kernel, stride, padding);
  return [kernel - 1 - before, inSize + before - (outSize - 1) * stride - 1];
}

/**
 * The gradient g [B, Ho, Wo, C] made ready for a stride-1 correlation: stride − 1 zeros between neighbours (for strided
 * layers), and the padding (explicit, for the conv to apply) that {@link backwardPads} asks for.
 */
export function dilateForCorrelation(
  g: tf.Tensor4D,
  inShape: readonly number[],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  padding: Padding,
): { spread: tf.Tensor4D; pad: [[0, 0], [number, number], [number, number], [0, 0]] } {
  const [[top, bottom], [left, right]] = [0, 1].map((a) => backwardPads(inShape[a + 1], kernel[a], strides[a], padding));
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return { spread: g, pad: [[0, 0], [top, bottom], [left, right], [0, 0]] };
  const [n, h, w, c] = g.shape;
  // Each value followed by its zeros: [B, Ho, sh, Wo, sw, C] → [B, Ho·sh, Wo·sw, C]. That ends with sh − 1 rows
  // (sw − 1 columns) of zeros the dilated gradient does not have, so the after-padding shrinks by as many.
  let spread = tf.reshape(tf.pad(tf.reshape(g, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]), [n, h * sh, w * sw, c]) as tf.Tensor4D; // [B, Ho·sh, Wo·sw, C]
  let [b, r] = [bottom - (sh - 1), right - (sw - 1)];
  if (b < 0 || r < 0) {
    spread = tf.slice(spread, [0, 0, 0, 0], [-1, h * sh + Math.min(b, 0), w * sw + Math.min(r, 0), -1]); // [B, H', W', C]
    [b, r] = [Math.max(b, 0), Math.max(r, 0)];
  }
  return { spread, pad: [[0, 0], [top, b], [left, r], [0, 0]] };
}

/**
 * Sub-pixel form of a strided conv's input gradient (equal strides s on both axes): one stride-1 conv of the undilated
 * g with s² phase kernels, then depth-to-space. It avoids correlating over the s² − 1 zeros in every s² of a dilated
 * gradient, and gives the conv s²·Cin output channels instead of Cin (the first YAMNet layer has Cin = 1, which
 * XNNPACK runs slowly).
 */
export class SubPixelGradient {
  private readonly kernel: tf.Tensor4D; // [M, M, Cout, s²·Cin]
  private readonly kernelSize: number;
  private readonly taps: number;

  constructor(
    filter: tf.Tensor4D, // [K, K, Cin, Cout]
    private readonly stride: number,
    private readonly padding: Padding,
  ) {
    const [kh, kw, cin, cout] = filter.shape;
    if (kh !== kw) throw new Error('the sub-pixel gradient needs a square kernel');
    const [s, m] = [stride, Math.ceil(kh / stride)];
    const w = filter.dataSync();
    const k = new Float32Array(m * m * cout * s * s * cin);
    // Phase (rh, rw) at tap (th, tw) reads g[q − (m − 1 − t)], which met the input through forward tap (m − 1 − t)·s + r.
    for (let rh = 0; rh < s; rh++) for (let rw = 0; rw < s; rw++) for (let th = 0; th < m; th++) for (let tw = 0; tw < m; tw++) {
      const [ih, iw] = [(m - 1 - th) * s + rh, (m - 1 - tw) * s + rw];
      if (ih >= kh || iw >= kw) continue;
      for (let co = 0; co < cout; co++) for (let ci = 0; ci < cin; ci++) {
        k[((th * m + tw) * cout + co) * s * s * cin + (rh * s + rw) * cin + ci] = w[((ih * kw + iw) * cin + ci) * cout + co];
      }
    }
    this.kernel = tf.tensor4d(k, [m, m, cout, s * s * cin]);
    [this.kernelSize, this.taps] = [kh, m];
  }

  /** dx [B, H, W, Cin] from g [B, Ho, Wo, Cout], for an input of shape `inShape` [B, H, W, Cin]. */
  apply(g: tf.Tensor4D, inShape: readonly number[]): tf.Tensor4D {
    const [s, m] = [this.stride, this.taps];
    // Input index h + before = q·s + r: conv output n = q − qMin holds the s phases of q, which depth-to-space lays
    // out at n·s + r, i.e. at h + before − qMin·s.
    const [ah, aw] = [1, 2].map((a) => {
      const before = forwardAxis(inShape[a], this.kernelSize, s, this.padding).before;
      const qMin = Math.floor(before / s);
      const qMax = Math.floor((inShape[a] - 1 + before) / s);
      return { size: inShape[a], front: m - 1 - qMin, back: qMax + 1 - g.shape[a], offset: before - qMin * s };
    });
    let source = g;
    if (ah.back < 0 || aw.back < 0) {
      source = tf.slice(g, [0, 0, 0, 0], [-1, g.shape[1] + Math.min(ah.back, 0), g.shape[2] + Math.min(aw.back, 0), -1]); // [B, Ho', Wo', Cout]
    }
    const pad: [[0, 0], [number, number], [number, number], [0, 0]] = [[0, 0], [ah.front, Math.max(ah.back, 0)], [aw.front, Math.max(aw.back, 0)], [0, 0]];
    const phases = tf.conv2d(source, this.kernel, 1, pad); // [B, N_h, N_w, s²·Cin]
    const dense = tf.depthToSpace(phases, s); // [B, N_h·s, N_w·s, Cin]
    return tf.slice(dense, [0, ah.offset, aw.offset, 0], [-1, ah.size, aw.size, -1]); // [B, H, W, Cin]
  }

  dispose(): void {
    this.kernel.dispose();
  }
}
