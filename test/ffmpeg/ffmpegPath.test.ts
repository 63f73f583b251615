// resolveFfmpeg: BLURIG_FFMPEG, then PATH, then the bundled binary.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlurigError } from '../../src/errors/index.js';
import { ffmpegBinary, resolveFfmpeg } from '../../src/ffmpeg/ffmpegPath.js';
import { removeTempDirs, tempDir } from './makeFixtures.js';

function fakeFfmpeg(dir: string, mode = 0o755): string {
  const file = join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe.skipIf(process.platform === 'win32')('resolveFfmpeg', () => {
  afterAll(removeTempDirs);

  it('uses BLURIG_FFMPEG first', () => {
    const fake = fakeFfmpeg(tempDir());
    expect(resolveFfmpeg({ BLURIG_FFMPEG: fake, PATH: '' })).toEqual({ path: fake, source: 'env' });
  });

  it('refuses a BLURIG_FFMPEG that is not an executable file rather than falling back', () => {
    expect(() => resolveFfmpeg({ BLURIG_FFMPEG: '/no/such/ffmpeg' })).toThrow(BlurigError);
    expect(() => resolveFfmpeg({ BLURIG_FFMPEG: '/no/such/ffmpeg' })).toThrow('BLURIG_FFMPEG is set to "/no/such/ffmpeg"');
  });

  it('then the first executable ffmpeg on PATH, skipping non-executable ones', () => {
    const notExecutable = tempDir();
    fakeFfmpeg(notExecutable, 0o644);
    const good = tempDir();
    const fake = fakeFfmpeg(good);
    expect(resolveFfmpeg({ PATH: ['', '/no/such/dir', notExecutable, good].join(':') })).toEqual({ path: fake, source: 'path' });
  });

  it('then the binary bundled by @ffmpeg-installer/ffmpeg', () => {
    const found = resolveFfmpeg({ PATH: tempDir() });
    expect(found.source).toBe('bundled');
    expect(found.path).toMatch(/@ffmpeg-installer/);
  });

  it('resolves for the real environment', () => {
    expect(['env', 'path', 'bundled']).toContain(ffmpegBinary().source);
  });
});
