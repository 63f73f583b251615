// progressBar: redraws in place (throttled) on a terminal, writes one final line otherwise.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressBar, formatClock } from '../../src/cli/progressBar.js';

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

  it('shows an ETA from the rate so far while the total is known, and none once it is reached', () => {
    const stream = fakeStream(false);
    let clock = 1_000;
    const bar = createProgressBar('explaining', stream, { showEta: true, nowMs: () => clock, formatAmount: (done, total) => `${done}/${total} patches` });
    clock += 20_000; // 5 of 20 patches in 20 s: 15 more at 4 s each = 60 s
    bar.update(5, 20);
    bar.finish();
    expect(stream.writes).toEqual(['explaining [#####...............] 25% 5/20 patches, ETA 1:00\n']);
    const done = fakeStream(false);
    const full = createProgressBar('explaining', done, { showEta: true, nowMs: () => clock, formatAmount: (d, t) => `${d}/${t}` });
    full.update(20, 20);
    full.finish();
    expect(done.writes).toEqual(['explaining [####################] 100% 20/20\n']);
  });

  it('formats clock times as m:ss and h:mm:ss, rounding up', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(1)).toBe('0:01');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });
});
