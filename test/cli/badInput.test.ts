// Bad input through the real CLI: each mistake gets one stderr line naming it (and the near names), the right exit code, and no model load.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { CLASSES_LIMIT, STEPS_LIMIT, workersLimit } from '../../src/cli/limits.js';
import { loadClassNames } from '../../src/model/classMap.js';

const dir = tempDir();
/** Where every row's BLURIG_MODEL points: not a model. A row that got as far as loading one would fail on it instead. */
const notAModel = join(dir, 'not-a-model.tflite');
const emptyWav = join(dir, 'empty.wav');
const input = 'samples/tones.wav';

/** Runs `blurig …args` with the sentinel model. */
function sentinelRun(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, { BLURIG_MODEL: notAModel, ...env });
}

/** [argv, exit code, what the one stderr line must match]. */
type Row = [string[], number, RegExp];

const cores = workersLimit().max;
const manyClasses = (await loadClassNames()).slice(0, CLASSES_LIMIT.max + 1).flatMap((name) => ['--class', name]);

const ROWS: Row[] = [
  // Commands and options that do not exist: usage mistakes (exit 2), with the near names.
  [[], 2, /^blurig: No command given: use classify, explain, evaluate, stream, serve, batch, worker or model\./],
  [['explian', input], 2, /^blurig: Unknown command "explian" \(did you mean "explain"\?\)/],
  [['clasify', input], 2, /^blurig: Unknown command "clasify" \(did you mean "classify"\?\)/],
  [['strem', input], 2, /^blurig: Unknown command "strem" \(did you mean "stream"\?\)/],
  [['frobnicate'], 2, /^blurig: Unknown command "frobnicate"\. Run 'blurig --help'/],
  [['explain', input, '--top-kk', '3'], 2, /^blurig: Unknown option '--top-kk' \(did you mean --top-k\?\)\. Run 'blurig explain --help'/],
  [['classify', input, '--jsn', 'out.json'], 2, /^blurig: Unknown option '--jsn' \(did you mean --json\?\)/],
  [['explain', input, '--step', '8'], 2, /^blurig: Unknown option '--step' \(did you mean --steps or --max-steps\?\)/],
  [['stream', input, '--max-wait', '2'], 2, /^blurig: Unknown option '--max-wait' \(did you mean --max-waiting\?\)/],
  [['classify', input, '--live'], 2, /^blurig: Unknown option '--live'\. Run 'blurig classify --help'/],
  [['explain', input, '--steps'], 2, /^blurig: Option '--steps' needs a value\./],
  [['explain', input, '--json', '--png', 'out.png'], 2, /^blurig: Option '--json' needs a value, but the next argument is the option '--png'/],
  [['stream', input, '--live=yes'], 2, /^blurig: Option '--live' does not take an argument/],
  [['explain'], 2, /^blurig: blurig explain takes <input>, got nothing/],
  [['classify', 'a.wav', 'b.wav'], 2, /^blurig: blurig classify takes <input>, got "a\.wav" "b\.wav"/],
  [['model'], 2, /^blurig: blurig model takes <pull\|info>, got nothing/],
  [['model', 'pul'], 2, /^blurig: Unknown action "pul" for blurig model \(did you mean 'blurig model pull'\?\)/],
  // Values out of range: named as typed, negative numbers reaching the check, limits named (exit 1).
  [['explain', input, '--steps', '-1'], 1, /^blurig: Expected the `--steps` option to be a positive integer, got `-1` \(string\)$/],
  [['explain', input, '--steps', '0'], 1, /`--steps` option to be a positive integer, got `0`/],
  [['stream', input, '--steps', '1.5'], 1, /`--steps` option to be a positive integer, got `1\.5`/],
  [['explain', input, '--steps', 'ten'], 1, /`--steps` option to be a positive integer, got `ten`/],
  [['explain', input, '--steps', '1000000'], 1, new RegExp(`\`--steps\` option to be at most ${STEPS_LIMIT.max} \\(`)],
  [['explain', input, '--max-steps', '5000'], 1, new RegExp(`\`--max-steps\` option to be at most ${STEPS_LIMIT.max} \\(`)],
  [['explain', input, '--method', 'blur-ig', '--steps', '64', '--max-steps', '32'], 1, /`--max-steps` option to be ≥ --steps \(64\), got `32`/],
  [['stream', input, '--method', 'blur-ig', '--max-steps', '8'], 1, /`--max-steps` option to be ≥ --steps \(16, its default\), got `8`/],
  [['explain', input, '--workers', '1000'], 1, new RegExp(`\`--workers\` option to be at most ${cores} \\(the cores of this machine`)],
  [['stream', input, '--workers', '0'], 1, /`--workers` option to be a positive integer, got `0`/],
  [['explain', input, '--top-k', '600'], 1, /`--top-k` option to be at most 20 \(classes explained per patch/],
  [['stream', input, '--top-k', '-3'], 1, /`--top-k` option to be a positive integer, got `-3`/],
  [['explain', input, ...manyClasses], 1, /`--class` option to be given at most 20 times/],
  [['explain', input, '--class', 'Sirne'], 1, /`--class` option to be a YAMNet class name, got `Sirne` \(string\): did you mean "Siren"/],
  [['stream', input, '--class', 'spech'], 1, /did you mean "Speech"/],
  [['explain', input, '--class', 'xyzzyq'], 1, /`--class` option to be a YAMNet class name, got `xyzzyq` \(string\): the names are in models\/yamnet_class_map\.csv$/],
  [['explain', input, '--class', 'Siren', '--top-k', '3'], 1, /`--top-k` option to be absent when --class names the classes/],
  [['explain', input, '--method', 'blurig'], 1, /`--method` option to be one of `blur-ig`, .*got `blurig` \(string\): did you mean `blur-ig`\?$/],
  [['explain', input, '--method', 'grad-cam'], 1, /`--method` option to be grad-cam together with --engine tfjs/],
  [['evaluate', input, '--methods', 'guided'], 1, /`--methods` option to be a comma-separated list of blur-ig, .*got `guided`/],
  [['explain', input, '--path', 'diagonal'], 1, /`--path` option to be one of `time-frequency`, `time`, `frequency`, got `diagonal`/],
  [['stream', input, '--output', 'probability'], 1, /`--output` option to be one of `score`, `logit`, got `probability`/],
  [['explain', input, '--tolerance', '-3'], 1, /`--tolerance` option to be a number > 0, got `-3`/],
  [['explain', input, '--abs-tolerance', '-1'], 1, /`--abs-tolerance` option to be a number ≥ 0, got `-1`/],
  [['explain', input, '--threshold', '1.5'], 1, /`--threshold` option to be ON or ON:OFF with 0 < OFF ≤ ON < 1/],
  [['explain', input, '--threshold', '0.2:0.4'], 1, /`--threshold` option to be ON or ON:OFF .*got `0\.2:0\.4`/],
  [['stream', input, '--min-duration', '-1'], 1, /`--min-duration` option to be a number ≥ 0, got `-1`/],
  [['explain', input, '--max-gap', 'abc'], 1, /`--max-gap` option to be a number, got `abc`/],
  [['explain', input, '--batch-size', '100000'], 1, /`--batch-size` option to be at most 64 \(/],
  [['classify', input, '--top-k', '522'], 1, /`--top-k` option to be at most 521 \(the classes YAMNet has\)/],
  [['classify', input, '--top-k', '0'], 1, /`--top-k` option to be a positive integer, got `0`/],
  [['classify', input, '--batch-size', '100000'], 1, /`--batch-size` option to be at most 256 \(/],
  [['stream', input, '--max-waiting', '1000'], 1, /`--max-waiting` option to be at most 64 \(/],
  [['stream', input, '--max-waiting', '-2'], 1, /`--max-waiting` option to be a positive integer, got `-2`/],
  [['explain', input, '--engine', 'onx'], 1, /`--engine` option to be one of `auto`, `onnx`, `tfjs`, got `onx` \(string\): did you mean `onnx`\?/],
  [['classify', input, '--backend', 'wsm'], 1, /`--backend` option to be one of .*got `wsm` \(string\): did you mean `wasm`\?/],
  // One output per stdout.
  [['explain', input, '--json', '-', '--png', '-'], 1, /`--png` option to be a file while --json already writes to stdout \(one output per stdout\)/],
  [['explain', input, '--npy', '-', '--json', '/dev/stdout'], 1, /`--npy` option to be a file while --json already writes to stdout/],
  // Figure options (--png, --svg, --pdf), checked as typed and within their limits.
  [['explain', input, '--png', 'out.png', '--dpi', '20'], 1, /^blurig: Expected the `--dpi` option to be an integer from 30 to 600 \(pixels per inch\), got `20`/],
  [['explain', input, '--svg', 'out.svg', '--fig-size', '7,x'], 1, /^blurig: Expected the `--fig-size` option to be a number from 1 to 40 \(inches, as W or W,H\), got `x`/],
  [['explain', input, '--pdf', 'out.pdf', '--cmap', 'RdBU'], 1, /`--cmap` option to be one of `RdBu_r`, .*got `RdBU` \(string\): did you mean `RdBu`/],
  [['explain', input, '--png', 'out.png', '--colour-scale', 'both'], 1, /`--colour-scale` option to be one of `shared`, `per-class`, got `both`/],
  [['explain', input, '--png', 'out.png', '--fig-size', '40', '--dpi', '600'], 1, /`--dpi` option to be at most 500 for a 40 in figure/],
  [['explain', input, '--json', '-', '--svg', '-'], 1, /`--svg` option to be a file while --json already writes to stdout/],
  // Inputs that cannot be read, found before any model loads.
  [['explain', join(dir, 'missing.wav')], 1, /^blurig: Input file ".*missing\.wav" does not exist$/],
  [['classify', emptyWav], 1, /^blurig: Input file ".*empty\.wav" is empty \(0 bytes\)$/],
];

/** Runs `jobs` two at a time (the cores CI has), so every run, the yardstick included, meets the same contention. */
async function inLanes<T>(jobs: (() => Promise<T>)[], lanes = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < jobs.length) {
      const at = next++;
      results[at] = await jobs[at]();
    }
  }));
  return results;
}

let results: CliResult[] = [];

beforeAll(async () => {
  writeFileSync(notAModel, 'this is not a TFLite model\n');
  writeFileSync(emptyWav, '');
  results = await inLanes(ROWS.map(([argv]) => () => sentinelRun(argv)));
});

afterAll(removeTempDirs);

describe(`bad input: ${ROWS.length} mistakes, one line each, found before any model loads`, () => {
  it.each(ROWS.map((row, index) => [...row, index] as const))('blurig %j → exit %i', (argv, code, line, index) => {
    const result = results[index];
    expect(result.code, result.stderr).toBe(code);
    const lines = result.stderr.split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a newline…
    expect(lines.slice(0, -1), 'exactly one stderr line (no stack trace)').toEqual([expect.stringMatching(line)]);
    // Never as far as a model: BLURIG_MODEL names a file that is not one, so a run that loaded it would say so.
    expect(result.stderr).not.toMatch(/downloading|built-in student|TFLite|not-a-model/);
    expect(result.stdout).toBe('');
  });
});

describe('-V and --version', () => {
  it('blurig -V, --version, and either after any command print the version', async () => {
    const argvs = [['-V'], ['--version'], ['explain', '--version'], ['classify', '-V'], ['stream', '-V'], ['model', '--version']];
    for (const result of await inLanes(argvs.map((argv) => () => sentinelRun(argv)))) {
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toBe(`${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);
    }
  });

  it('lists the limits in each command’s help', async () => {
    const [explain, classify, stream] = await Promise.all([sentinelRun(['explain', '--help']), sentinelRun(['classify', '--help']), sentinelRun(['stream', '--help'])]);
    expect(explain.stdout).toMatch(/--steps N .*at most 1024/);
    expect(explain.stdout).toMatch(/--top-k N .*at most 20/);
    expect(explain.stdout).toMatch(/--batch-size N .*at most 64/);
    expect(explain.stdout).toMatch(new RegExp(`default and at most: the number of cores, ${cores} here`));
    expect(classify.stdout).toMatch(/--top-k N .*at most 521/);
    expect(classify.stdout).toMatch(/--batch-size N .*at most 256/);
    expect(stream.stdout).toMatch(/--max-waiting N .*at most 64/);
  });
});
