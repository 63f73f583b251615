// Mono WAV files in and out: 16-bit PCM written, 16-bit PCM and 32-bit float read; enough to hear a mask's output.
import { DecodeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';

const HEADER_BYTES = 44;
const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const WAV_INPUT = 'WAV data';

/**
 * A mono 16-bit PCM RIFF/WAVE file of `samples`: clipped to [−1, 1], scaled by 32 768 and rounded as ffmpeg's
 * float-to-s16 conversion does (so +1 becomes 32 767, −1 becomes −32 768); NaN is written as 0.
 */
export function encodeWav(samples: Float32Array, sampleRateHz: number = YAMNET_FRONT_END.sampleRateHz): Buffer {
  const dataBytes = samples.length * 2;
  const buffer = Buffer.alloc(HEADER_BYTES + dataBytes);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(HEADER_BYTES - 8 + dataBytes, 4); // everything after this field
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(FORMAT_PCM, 20);
  buffer.writeUInt16LE(1, 22); // channels
  buffer.writeUInt32LE(sampleRateHz, 24);
  buffer.writeUInt32LE(sampleRateHz * 2, 28); // bytes per second
  buffer.writeUInt16LE(2, 32); // bytes per sample frame
  buffer.writeUInt16LE(16, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const code = Math.round(Math.min(1, Math.max(-1, samples[i])) * 32_768);
    buffer.writeInt16LE(Number.isNaN(code) ? 0 : Math.min(32_767, code), HEADER_BYTES + 2 * i);
  }
  return buffer;
}

/**
 * Reads a mono RIFF/WAVE file of 16-bit PCM (scaled by 1/32 768, as ffmpeg does) or 32-bit IEEE float, plain or
 * WAVE_FORMAT_EXTENSIBLE; chunks other than `fmt ` and `data` are skipped. Anything else is a DecodeError.
 */
export function decodeWav(buffer: Uint8Array): { sampleRateHz: number; samples: Float32Array } {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...buffer.subarray(offset, offset + 4));
  if (buffer.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') fail('it does not start with a RIFF/WAVE header');
  let format: { code: number; channels: number; sampleRateHz: number; bits: number } | undefined;
  for (let offset = 12; offset + 8 <= buffer.length; ) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > buffer.length) fail(`its fmt chunk is ${size} bytes`);
      let code = view.getUint16(body, true);
      if (code === FORMAT_EXTENSIBLE && size >= 40) code = view.getUint16(body + 24, true); // the sub-format GUID's first two bytes
      format = { code, channels: view.getUint16(body + 2, true), sampleRateHz: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) fail('its data chunk comes before any fmt chunk');
      return { sampleRateHz: format.sampleRateHz, samples: readSamples(view, body, Math.min(size, buffer.length - body), format) };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  return fail(format ? 'it has no data chunk' : 'it has no fmt chunk');
}

function readSamples(view: DataView, start: number, bytes: number, format: { code: number; channels: number; bits: number }): Float32Array {
  if (format.channels !== 1) fail(`expected 1 channel, got ${format.channels}`);
  if (format.code === FORMAT_PCM && format.bits === 16) {
    return Float32Array.from({ length: Math.floor(bytes / 2) }, (_unused, i) => view.getInt16(start + 2 * i, true) / 32_768);
  }
  if (format.code === FORMAT_FLOAT && format.bits === 32) {
    return Float32Array.from({ length: Math.floor(bytes / 4) }, (_unused, i) => view.getFloat32(start + 4 * i, true));
  }
  return fail(`expected 16-bit PCM or 32-bit float samples, got format ${format.code} with ${format.bits} bits`);
}

function fail(reason: string): never {
  throw new DecodeError(`Cannot read the WAV data: ${reason}`, { input: WAV_INPUT });
}
