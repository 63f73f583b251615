// Mono μ-law WAV files (8 bits a sample, G.711): half the size of 16-bit PCM, what the report embeds to play offline.

const HEADER_BYTES = 44;
const FORMAT_MULAW = 7;
const BIAS = 0x84;
const CLIP = 32_635;

/** G.711 μ-law code of a 16-bit sample. */
function mulawCode(sample16: number): number {
  const sign = sample16 < 0 ? 0x80 : 0;
  const magnitude = Math.min(CLIP, Math.abs(sample16)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** The 16-bit sample a μ-law code stands for (G.711's decoder), for tests and round trips. */
export function mulawSample(code: number): number {
  const u = ~code & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4)) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

/** A RIFF/WAVE file (format 7, μ-law, 8 bits) of `samples` in [−1, 1] (clipped; NaN is silence). */
export function encodeMulawWav(samples: Float32Array, sampleRateHz: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + samples.length + (samples.length % 2));
  const view = new DataView(out.buffer);
  const tag = (offset: number, text: string) => [...text].forEach((c, i) => (out[offset + i] = c.charCodeAt(0)));
  tag(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_MULAW, true);
  view.setUint16(22, 1, true); // channels
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz, true); // bytes per second
  view.setUint16(32, 1, true); // bytes per sample frame
  view.setUint16(34, 8, true);
  tag(36, 'data');
  view.setUint32(40, samples.length, true);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    out[HEADER_BYTES + i] = mulawCode(Number.isNaN(x) ? 0 : Math.round(Math.max(-1, Math.min(1, x)) * 32_767));
  }
  return out;
}
