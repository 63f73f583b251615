// splitDecodeArgs: decodeArgs' list cut where fluent-ffmpeg needs it, and nothing lost or moved.
import { describe, expect, it } from 'vitest';
import { decodeArgs } from '../../src/ffmpeg/decodeArgs.js';
import { splitDecodeArgs } from '../../src/ffmpeg/splitDecodeArgs.js';

describe('splitDecodeArgs', () => {
  it('puts the global and input options before the input, the rest after, and drops pipe:1', () => {
    expect(splitDecodeArgs(decodeArgs({ path: 'a.mp3' }))).toEqual({
      inputOptions: ['-hide_banner', '-nostats', '-loglevel', 'level+info', '-nostdin'],
      input: 'a.mp3',
      outputOptions: ['-map', '0:a:0', '-vn', '-sn', '-dn', '-ac', '1', '-ar', '16000', '-f', 'f32le'],
    });
  });

  it('re-joins to the same list, as fluent-ffmpeg does for a stream output', () => {
    for (const source of [{ path: '-' }, { path: 'sine=f=440', inputOptions: ['-f', 'lavfi', '-metadata', '-i'], realtime: true }]) {
      const args = decodeArgs(source);
      const parts = splitDecodeArgs(args);
      expect([...parts.inputOptions, '-i', parts.input, ...parts.outputOptions, 'pipe:1']).toEqual(args);
    }
  });

  it('refuses a list without an input or without pipe:1 at the end', () => {
    expect(() => splitDecodeArgs(['-y', 'out.wav'])).toThrow('Expected ffmpeg arguments');
    expect(() => splitDecodeArgs(['-i', 'a.wav', 'out.wav'])).toThrow('Expected ffmpeg arguments');
    expect(() => splitDecodeArgs(['-i', 'pipe:1'])).toThrow('Expected ffmpeg arguments');
  });
});
