// Samples that are not audio (NaN, +Infinity, 1e6 in a float WAV) through the CLI: one DecodeError line and exit 1 on classify, explain and stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, writeBadFloatWav } from '../ffmpeg/makeFixtures.js';
import { sharedModelPath } from '../helpers/model.js';
import { runCli } from '../helpers/runCli.js';

// The real YAMNet when ../shared has it, else the built-in student: the check is at the decode stage, before any model.
const model = sharedModelPath() ?? 'builtin';
const cases = [
  ['NaN', Number.NaN, 'a NaN sample'],
  ['+Infinity', Number.POSITIVE_INFINITY, 'a sample of +Infinity'],
  ['1e6', 1e6, 'a sample of 1.0e6 (120 dB over full scale)'],
] as const;

let dir: string;
const files = new Map<string, string>();
beforeAll(() => {
  dir = tempDir();
  // The bad run starts at 0.25 s, before the first patch is complete, so no command gets far before it stops.
  for (const [name, value] of cases) files.set(name, writeBadFloatWav(dir, `${name}.wav`, value, 0.25, 1.5));
});
afterAll(removeTempDirs);

describe.each(cases)('a float WAV holding %s at 0.25 s', (name, _value, what) => {
  const expected = (path: string) => `blurig: "${path}" holds ${what} at 0.25 s; `;

  it.each(['classify', 'explain'])('%s: one line naming the file, the time and the fix; exit 1', async (command) => {
    const path = files.get(name)!;
    const { code, stderr } = await runCli([command, path, '--model', model]);
    expect(code).toBe(1);
    expect(stderr.startsWith(expected(path))).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/(re-encode it from a sound copy, or cut that part out|re-encode it at its right level, e\.g\. ffmpeg -i in -af volume=-\d+dB out\.wav)\n$/);
  });

  it('stream: its {"type":"error"} line on stdout, the same one line on stderr; exit 1', async () => {
    const path = files.get(name)!;
    const { code, stdout, stderr } = await runCli(['stream', path, '--model', model]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.startsWith(expected(path))).toBe(true);
    const last = JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as { type: string; message: string };
    expect(last.type).toBe('error');
    expect(`blurig: ${last.message}\n`).toBe(stderr);
  });
});
