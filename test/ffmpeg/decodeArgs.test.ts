// decodeArgs: the ffmpeg command line for decoding to 16 kHz mono f32le on stdout.
import { describe, expect, it } from 'vitest';
import { decodeArgs, formatCommand, trimsInput } from '../../src/ffmpeg/decodeArgs.js';

describe('decodeArgs', () => {
  it('decodes a file to 16 kHz mono f32le on stdout, without reading stdin', () => {
    const args = decodeArgs({ path: 'a.mp3' });
    expect(args).toEqual([
      '-hide_banner', '-nostats', '-loglevel', 'level+info', '-nostdin',
      '-i', 'a.mp3', '-map', '0:a:0', '-vn', '-sn', '-dn', '-ac', '1', '-ar', '16000', '-f', 'f32le', 'pipe:1',
    ]);
  });

  it('reads stdin for `-` and so leaves out -nostdin', () => {
    expect(decodeArgs({ path: '-' })).not.toContain('-nostdin');
    expect(decodeArgs({ path: '-' })).toContain('-');
  });

  it('puts -re and the input options before -i, in that order', () => {
    const args = decodeArgs({ path: 'sine=f=440:d=1', inputOptions: ['-f', 'lavfi'], realtime: true });
    const i = args.indexOf('-i');
    expect(args.slice(i - 3, i + 2)).toEqual(['-re', '-f', 'lavfi', '-i', 'sine=f=440:d=1']);
  });

  it('leaves out -re unless realtime is true', () => {
    expect(decodeArgs({ path: 'a.wav', realtime: false })).not.toContain('-re');
  });

  it('knows which input options shorten the input', () => {
    expect(trimsInput({ path: 'a.wav', inputOptions: ['-ss', '3'] })).toBe(true);
    expect(trimsInput({ path: 'a.wav', inputOptions: ['-t', '3'] })).toBe(true);
    expect(trimsInput({ path: 'a.wav', inputOptions: ['-f', 'wav'] })).toBe(false);
    expect(trimsInput({ path: 'a.wav' })).toBe(false);
  });

  it('formats the command for messages, quoting only what needs it', () => {
    expect(formatCommand('/usr/bin/ffmpeg', ['-i', 'my file.wav', "it's", 'sine=f=440:d=1'])).toBe(
      `/usr/bin/ffmpeg -i 'my file.wav' 'it'\\''s' sine=f=440:d=1`,
    );
  });
});
