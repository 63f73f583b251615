// decodeArgs: the ffmpeg command line for decoding to 16 kHz mono f32le on stdout.
import { describe, expect, it } from 'vitest';
import { decodeArgs, formatCommand, readsAtRealRate, trimsInput, type DecodeSource } from '../../src/ffmpeg/decodeArgs.js';
import { CAPTURE_DEVICE_FORMATS, inputFormat, lavfiHasEnd } from '../../src/ffmpeg/inputFormat.js';
import { neverEndingSourceWarning } from '../../src/ffmpeg/neverEndingSourceWarning.js';

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

describe('decodeArgs for live sources', () => {
  /** The arguments between the global options and `-i`, where -re and the input options go. */
  const beforeInput = (source: DecodeSource): string[] => {
    const args = decodeArgs(source);
    return args.slice(args.indexOf('-nostdin') + 1, args.indexOf('-i'));
  };

  it('reads a lavfi graph at its real rate under live mode: -re before -f lavfi and -i', () => {
    const args = decodeArgs({ path: 'sine=frequency=440', inputOptions: ['-f', 'lavfi'], live: true });
    const i = args.indexOf('-i');
    expect(args.slice(i - 3, i + 2)).toEqual(['-re', '-f', 'lavfi', '-i', 'sine=frequency=440']);
  });

  it('paces any forced input format under live mode (a file read through -f wav too)', () => {
    expect(beforeInput({ path: 'a.wav', inputOptions: ['-f', 'wav'], live: true })).toEqual(['-re', '-f', 'wav']);
  });

  it.each(['alsa', 'pulse', 'jack', 'oss', 'v4l2', 'avfoundation', 'dshow'])('leaves a %s capture device to its own pace under live mode', (format) => {
    expect(CAPTURE_DEVICE_FORMATS.has(format)).toBe(true);
    expect(beforeInput({ path: 'default', inputOptions: ['-f', format], live: true })).toEqual(['-f', format]);
  });

  it('adds no -re to a live input without a forced format (a URL, stdin: paced by whoever sends it)', () => {
    expect(decodeArgs({ path: 'http://radio.example/stream', live: true })).not.toContain('-re');
    expect(decodeArgs({ path: '-', live: true })).not.toContain('-re');
  });

  it('adds no -re in file mode, and never a second one when the input options pace the input already', () => {
    expect(decodeArgs({ path: 'sine=f=440:d=3', inputOptions: ['-f', 'lavfi'] })).not.toContain('-re');
    expect(decodeArgs({ path: 'sine', inputOptions: ['-re', '-f', 'lavfi'], live: true }).filter((a) => a === '-re')).toHaveLength(1);
    expect(readsAtRealRate({ path: 'sine', inputOptions: ['-readrate', '1', '-f', 'lavfi'], live: true })).toBe(false);
    expect(readsAtRealRate({ path: 'a.wav', realtime: true })).toBe(true);
  });

  it('reads the forced format from the input options (the last -f wins, as in ffmpeg)', () => {
    expect(inputFormat({ path: 'x', inputOptions: ['-f', 'wav', '-f', 'lavfi'] })).toBe('lavfi');
    expect(inputFormat({ path: 'x' })).toBeUndefined();
    expect(inputFormat({ path: 'x', inputOptions: ['-f'] })).toBeUndefined();
  });
});

describe('neverEndingSourceWarning', () => {
  const lavfi = (path: string, extra: string[] = []): DecodeSource => ({ path, inputOptions: [...extra, '-f', 'lavfi'] });

  it('warns about a lavfi graph without a duration in file mode, with a bounded example', () => {
    expect(neverEndingSourceWarning(lavfi('sine=frequency=440'))).toBe(
      'the lavfi source "sine=frequency=440" has no duration, so it never ends: use --live to read it in real time, or give it one (e.g. "sine=frequency=440:d=10")',
    );
    expect(neverEndingSourceWarning(lavfi('anoisesrc'))).toContain('(e.g. "anoisesrc=d=10")');
    expect(neverEndingSourceWarning(lavfi('sine=f=440,volume=0.5'))).toContain('(e.g. "sine=f=440:d=10,volume=0.5")');
  });

  it('warns about a capture device in file mode', () => {
    expect(neverEndingSourceWarning({ path: 'hw:0', inputOptions: ['-f', 'alsa'] })).toBe('"hw:0" is a capture device (alsa), which never ends: use --live to explain it as it comes, or stop it with Ctrl-C');
  });

  it('says nothing for a lavfi graph that ends: d=, duration=, a trim, a movie source, or -t', () => {
    for (const graph of ['sine=frequency=440:d=3', 'sine=d=3', 'sine=duration=2.5', 'anoisesrc=c=pink:duration=4', 'sine,atrim=end=3', 'sine,atrim=duration=2', 'amovie=a.wav']) {
      expect(lavfiHasEnd({ path: graph })).toBe(true);
      expect(neverEndingSourceWarning(lavfi(graph))).toBeNull();
    }
    expect(neverEndingSourceWarning(lavfi('sine', ['-t', '3']))).toBeNull();
  });

  it('says nothing under live mode or --realtime, nor for files, URLs, stdin or other formats', () => {
    expect(neverEndingSourceWarning({ ...lavfi('sine'), live: true })).toBeNull();
    expect(neverEndingSourceWarning({ ...lavfi('sine'), realtime: true })).toBeNull();
    expect(neverEndingSourceWarning({ path: 'hw:0', inputOptions: ['-f', 'alsa'], live: true })).toBeNull();
    expect(neverEndingSourceWarning({ path: 'a.wav' })).toBeNull();
    expect(neverEndingSourceWarning({ path: '-' })).toBeNull();
    expect(neverEndingSourceWarning({ path: 'a.raw', inputOptions: ['-f', 's16le'] })).toBeNull();
  });
});
