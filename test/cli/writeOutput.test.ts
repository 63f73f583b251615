// writeOutput: whole files through temporary + rename, symlinks written through, devices and FIFOs written into.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputTargetKind, writeOutput } from '../../src/cli/writeOutput.js';
import { BlurigError } from '../../src/errors/index.js';

const dir = mkdtempSync(join(tmpdir(), 'blurig-write-'));
afterAll(() => spawnSync('rm', ['-rf', dir]));

const leftovers = (): string[] => readdirSync(dir).filter((name) => name.endsWith('.part'));

describe('writeOutput', () => {
  it('creates a new file whole and leaves no temporary file', () => {
    const path = join(dir, 'new.json');
    writeOutput(path, '{"a":1}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(leftovers()).toEqual([]);
  });

  it('replaces a regular file and keeps its permissions', () => {
    const path = join(dir, 'old.json');
    writeFileSync(path, 'old contents that are longer');
    chmodSync(path, 0o640);
    writeOutput(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('writes through a symlink: the link stays a link, its target gets the bytes', () => {
    const real = join(dir, 'real.png');
    const link = join(dir, 'link.png');
    writeFileSync(real, 'before');
    symlinkSync('real.png', link);
    writeOutput(link, Uint8Array.of(137, 80, 78, 71));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.png');
    expect([...readFileSync(real)]).toEqual([137, 80, 78, 71]);
  });

  it('creates the file a dangling symlink names, and keeps the link', () => {
    const link = join(dir, 'dangling.json');
    symlinkSync('made-by-link.json', link);
    writeOutput(link, 'x');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-by-link.json'), 'utf8')).toBe('x');
  });

  it('writes into a FIFO, so its reader gets the bytes and the FIFO stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (text: string) => (got += text));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    writeOutput(fifo, 'through the pipe\n');
    await closed;
    expect(got).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('writes into /dev/null and leaves the device node alone', () => {
    writeOutput('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('says "no space left" for /dev/full, in one line, and leaves the device alone', () => {
    expect(() => writeOutput('/dev/full', 'x')).toThrow(BlurigError);
    expect(() => writeOutput('/dev/full', 'x')).toThrow(/^Cannot write "\/dev\/full" \(ENOSPC\): no space left on the device: free some disk space\.$/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('refuses a folder, and names a missing folder as the cause', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(() => writeOutput(folder, 'x')).toThrow(/it is a folder/);
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(() => writeOutput(join(dir, 'no', 'such', 'out.json'), 'x')).toThrow(/\(ENOENT\): its folder does not exist/);
    expect(leftovers()).toEqual([]);
  });

  it('treats /dev/stdout-style paths as streams to write into, whatever they lead to', () => {
    expect(outputTargetKind('-')).toBe('stdout');
    expect(outputTargetKind('/dev/stdout')).toBe('special');
    expect(outputTargetKind('/proc/self/fd/2')).toBe('special');
    expect(outputTargetKind(join(dir, 'nothing-here'))).toBe('new');
  });

  it('appends through /dev/stdout when a shell redirected stdout to a file, instead of replacing that file', () => {
    const out = join(dir, 'redirected.txt');
    const script = `import { writeOutput } from ${JSON.stringify(new URL('../../src/cli/writeOutput.ts', import.meta.url).pathname)}; process.stdout.write('summary\\n'); writeOutput('/dev/stdout', 'json\\n');`;
    const result = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx --input-type=module -e "$0" > "${out}"`, script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('summary\njson\n');
  });
});
