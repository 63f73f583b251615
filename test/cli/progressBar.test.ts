// progressBar: redraws in place (throttled) on a terminal, writes one final line otherwise.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressBar } from '../../src/cli/progressBar.js';

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (text: string) => writes.push(text) };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createProgressBar on a terminal', () => {
  it('draws the bar, percentage and megabytes with \\r', () => {
    const stream = fakeStream(true);
    const bar = createProgressBar('Downloading YAMNet', stream);
    bar.update(1_800_000, 4_000_000);
    expect(stream.writes).toEqual(['\rDownloading YAMNet [#########...........] 45% 1.8/4.0 MB']);
  });

  it('redraws at most about ten times a second, then draws the final state on finish', () => {
    const stream = fakeStream(true);
    const bar = createProgressBar('x', stream);
    for (let done = 0; done <= 100; done++) bar.update(done, 100);
    expect(stream.writes).toHaveLength(1);
    vi.advanceTimersByTime(100);
    bar.update(100, 100);
    expect(stream.writes).toHaveLength(2);
    bar.finish();
    expect(stream.writes.slice(-2)).toEqual(['\rx [####################] 100% 0.0/0.0 MB', '\n']);
    bar.finish();
    bar.update(5, 100);
    expect(stream.writes).toHaveLength(4);
  });

  it('pads over the tail of a longer previous line', () => {
    const stream = fakeStream(true);
    const bar = createProgressBar('y', stream, { formatAmount: (done) => (done < 10 ? 'many words here' : 'few') });
    bar.update(1);
    vi.advanceTimersByTime(100);
    bar.update(10);
    expect(stream.writes).toEqual(['\ry many words here', '\ry few            ']);
  });

  it('shortens the line to the terminal width, keeping the numbers', () => {
    const stream = fakeStream(true, 30);
    createProgressBar('a very long label that does not fit', stream).update(500_000);
    const line = stream.writes[0].slice(1);
    expect(line).toHaveLength(29);
    expect(line.startsWith('…')).toBe(true);
    expect(line.endsWith('0.5 MB')).toBe(true);
  });

  it('shows only the amount while the total is unknown', () => {
    const stream = fakeStream(true);
    createProgressBar('y', stream).update(12_000_000);
    expect(stream.writes).toEqual(['\ry 12.0 MB']);
  });
});

describe('createProgressBar in a log or pipe', () => {
  it('writes nothing until finish, then a single line', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar('Downloading YAMNet', stream);
    for (let done = 0; done <= 4_047_424; done += 65_536) bar.update(done, 4_047_424);
    bar.update(4_047_424, 4_047_424);
    expect(stream.writes).toEqual([]);
    bar.finish();
    bar.finish();
    expect(stream.writes).toEqual(['Downloading YAMNet [####################] 100% 4.0/4.0 MB\n']);
  });

  it('uses a custom amount format, e.g. seconds of audio', () => {
    const stream = fakeStream(false);
    const bar = createProgressBar('Explaining a.wav', stream, { formatAmount: (done, total) => `${done}/${total} s` });
    bar.update(3, 12);
    bar.finish();
    expect(stream.writes).toEqual(['Explaining a.wav [#####...............] 25% 3/12 s\n']);
  });
});
