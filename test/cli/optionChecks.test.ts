// The CLI's own checks without a process: near names, option parsing, limits, class names, one output per stdout, the stop registry.
import { describe, expect, it } from 'vitest';
import { BLUR_IG_DEFAULTS } from '../../src/attribution/blurIG.js';
import { OptionError } from '../../src/errors/index.js';
import { loadClassNames } from '../../src/model/classMap.js';
import { MODEL_OPTIONS, parseCommandArgs, UsageError } from '../../src/cli/args.js';
import { checkClassNames } from '../../src/cli/classNames.js';
import { BLUR_IG_DEFAULT_STEPS } from '../../src/cli/commands/attributionArgs.js';
import { STEPS_LIMIT } from '../../src/cli/limits.js';
import { editDistance, nearNames } from '../../src/cli/nearNames.js';
import { integerOption, numberOption } from '../../src/cli/optionValues.js';
import { stdoutTaken } from '../../src/cli/outputTargets.js';
import { installInterruptHandler, onStop, requestStop } from '../../src/cli/stopRun.js';
import { stdoutFailureReport } from '../../src/cli/stdout.js';

describe('nearNames', () => {
  it('measures edits with a swap of neighbours as one (optimal string alignment)', () => {
    // Hand-counted: kitten → sitting is the textbook 3 (k→s, e→i, +g); a swap is 1, where plain Levenshtein says 2.
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sirne', 'siren')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds YAMNet classes from typos, case-insensitively, and from a typed start, at most 3', async () => {
    const names = await loadClassNames();
    expect(nearNames('Sirne', names)[0]).toBe('Siren');
    expect(nearNames('spech', names)[0]).toBe('Speech');
    expect(nearNames('police car', names)[0]).toBe('Police car (siren)');
    expect(nearNames('a', names).length).toBeLessThanOrEqual(3);
    expect(nearNames('zzzzqqqq', names)).toEqual([]);
  });

  it('finds commands and options', () => {
    expect(nearNames('explian', ['classify', 'explain', 'model', 'stream'])).toEqual(['explain']);
    expect(nearNames('top-kk', ['top-k', 'steps', 'max-steps'])).toEqual(['top-k']);
  });
});

describe('parseCommandArgs', () => {
  const options = { ...MODEL_OPTIONS, steps: { type: 'string' }, json: { type: 'string' } } as const;

  it('takes a negative number after a string option as its value, so the value check can name it', () => {
    expect(parseCommandArgs('explain', ['in.wav', '--steps', '-1'], options).values.steps).toBe('-1');
    expect(parseCommandArgs('explain', ['in.wav', '--steps', '-.5'], options).values.steps).toBe('-.5');
    expect(parseCommandArgs('explain', ['in.wav', '--steps=-1'], options).values.steps).toBe('-1');
    expect(parseCommandArgs('explain', ['in.wav', '--json', '-'], options).values.json).toBe('-');
  });

  it('names the near option of an unknown one, and the option a value is missing for', () => {
    expect(() => parseCommandArgs('explain', ['--step', '3'], options)).toThrow(/^Unknown option '--step' \(did you mean --steps\?\)\. Run 'blurig explain --help'/);
    expect(() => parseCommandArgs('explain', ['--json'], options)).toThrow(/^Option '--json' needs a value\./);
    expect(() => parseCommandArgs('explain', ['--json', '--steps', '3'], options)).toThrow(UsageError);
    expect(() => parseCommandArgs('explain', ['-V'], options)).not.toThrow();
  });
});

describe('option values', () => {
  it('refuses what is not a positive integer, then what passes the limit, naming both as typed', () => {
    expect(integerOption('--steps', undefined, 16, STEPS_LIMIT)).toBe(16);
    expect(integerOption('--steps', '1024', 16, STEPS_LIMIT)).toBe(1024);
    expect(() => integerOption('--steps', '-1', 16, STEPS_LIMIT)).toThrow('Expected the `--steps` option to be a positive integer, got `-1` (string)');
    expect(() => integerOption('--steps', '', 16, STEPS_LIMIT)).toThrow(/positive integer/);
    expect(() => integerOption('--steps', '1025', 16, STEPS_LIMIT)).toThrow(/^Expected the `--steps` option to be at most 1024 \(/);
    expect(() => numberOption('--tolerance', '0')).toThrow(/`--tolerance` option to be a number > 0/);
    expect(numberOption('--abs-tolerance', '0', { allowZero: true })).toBe(0);
    expect(() => numberOption('--max-gap', 'NaN', { allowZero: true })).toThrow(/a number, got `NaN`/);
  });

  it('keeps the CLI copy of Blur IG default steps equal to the library default', () => {
    expect(BLUR_IG_DEFAULT_STEPS).toBe(BLUR_IG_DEFAULTS.steps);
  });

  it('resolves class names case-insensitively to their display names, once each, and caps their number', async () => {
    expect(await checkClassNames(['siren', 'Speech', 'SIREN'])).toEqual(['Siren', 'Speech']);
    await expect(checkClassNames(['Sirne'])).rejects.toThrow(/`--class` option to be a YAMNet class name, got `Sirne` \(string\): did you mean "Siren"/);
    const names = await loadClassNames();
    await expect(checkClassNames(names.slice(0, 21))).rejects.toThrow(/`--class` option to be given at most 20 times/);
  });
});

describe('stdoutTaken', () => {
  const targets = (json?: string, png?: string) => [
    { flag: '--json', value: json, binary: false },
    { flag: '--png', value: png, binary: true },
  ];

  it('allows one output on stdout, which then takes it alone', () => {
    expect(stdoutTaken(targets(), false)).toBe(false);
    expect(stdoutTaken(targets('-', 'out.png'), false)).toBe(true);
    expect(stdoutTaken(targets('out.json', '-'), false)).toBe(true);
    expect(stdoutTaken(targets('-'), true)).toBe(true); // text on a terminal is fine
  });

  it('refuses two outputs on stdout (/dev/stdout counts) and binary output to a terminal', () => {
    expect(() => stdoutTaken(targets('-', '/dev/stdout'), false)).toThrow(/`--png` option to be a file while --json already writes to stdout/);
    expect(() => stdoutTaken(targets(undefined, '-'), true)).toThrow(OptionError);
    expect(() => stdoutTaken(targets(undefined, '-'), true)).toThrow(/binary output would garble the terminal/);
  });
});

describe('stopping a run', () => {
  it('stops a command that registers after stdout already failed, and only once', () => {
    const remove = installInterruptHandler();
    try {
      expect(requestStop('stdout')).toBe(false); // nobody listening yet (the model was loading)
      const reasons: string[] = [];
      onStop((reason) => reasons.push(reason));
      expect(reasons).toEqual(['stdout']);
    } finally {
      remove();
    }
  });

  it('reports EPIPE as a quiet end and ENOSPC as one line with exit 1', () => {
    expect(stdoutFailureReport(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toEqual({ line: undefined, exitCode: 0 });
    expect(stdoutFailureReport(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toEqual({ line: 'cannot write to stdout: no space left on device', exitCode: 1 });
  });
});
