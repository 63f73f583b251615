// readSpans() / parseSpans(): the labelled events of samples/samples.json, and one clear message per malformed field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BlurigError } from '../../src/errors/index.js';
import { parseSpans, readSpans, spansFor } from '../../src/evaluate/spans.js';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'samples.json');
const dir = mkdtempSync(join(tmpdir(), 'blurig-spans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** parseSpans of `entries` as JSON, expecting a BlurigError; returns its message. */
function messageOf(entries: unknown): string {
  try {
    parseSpans(JSON.stringify(entries), 'spans.json');
  } catch (error) {
    expect(error).toBeInstanceOf(BlurigError);
    return (error as Error).message;
  }
  throw new Error('parseSpans accepted a malformed file');
}

const event = { class: 'Speech', startSec: 1, endSec: 2 };

describe('readSpans', () => {
  it('reads samples/samples.json: every clip by file name, its events in order (values from the file)', async () => {
    const spans = await readSpans(SAMPLES);
    expect([...spans.keys()]).toEqual(['speech.wav', 'speech.mp3', 'siren.wav', 'tones.wav', 'mixture.wav']);
    expect(spans.get('tones.wav')).toEqual([
      { class: 'Sine wave', startSec: 0.5, endSec: 3.5 },
      { class: 'Beep, bleep', startSec: 4, endSec: 5.7 },
    ]);
    expect(spans.get('speech.mp3')).toEqual([{ class: 'Speech', startSec: 1.069, endSec: 7.875 }]);
    // Inputs match by base name, wherever they are.
    expect(spansFor(spans, '/somewhere/else/mixture.wav')).toEqual([
      { class: 'Speech', startSec: 0.5, endSec: 3.617 },
      { class: 'Siren', startSec: 5, endSec: 10 },
    ]);
    expect(spansFor(spans, 'other.wav')).toBeUndefined();
  });

  it('names the file when it cannot be read or is not JSON', async () => {
    await expect(readSpans(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read the spans file .*missing\.json \(ENOENT\): check the path/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{ "file": "a.wav", ');
    await expect(readSpans(broken)).rejects.toThrow(/Spans file .*broken\.json is not valid JSON .*: fix the file/);
  });
});

describe('parseSpans', () => {
  it('keys entries by base name, ignores extra fields, accepts clips without events', () => {
    const spans = parseSpans(JSON.stringify([{ file: 'clips/a.wav', note: 'x', events: [event] }, { file: 'b.wav', events: [] }]), 'spans.json');
    expect(spans.get('a.wav')).toEqual([event]);
    expect(spans.get('b.wav')).toEqual([]);
  });

  it('names the entry and the field of each malformed value', () => {
    expect(messageOf({ file: 'a.wav' })).toBe('Spans file spans.json must hold a JSON array of { file, events } entries, got {"file":"a.wav"}');
    expect(messageOf([42])).toBe('Spans file spans.json: entry [0] field `(the entry itself)` must be an object { file, events }, got 42');
    expect(messageOf([{ events: [] }])).toBe('Spans file spans.json: entry [0] field `file` must be a non-empty string, got nothing');
    expect(messageOf([{ file: 'a.wav', events: [] }, { file: 'x/a.wav', events: [] }])).toMatch(/entry \[1\] \("x\/a\.wav"\) field `file` must be a base name no earlier entry has/);
    expect(messageOf([{ file: 'a.wav', durationSec: -1, events: [] }])).toMatch(/entry \[0\] \("a\.wav"\) field `durationSec` must be a finite number > 0 \(or absent\), got -1/);
    expect(messageOf([{ file: 'a.wav', events: { class: 'Speech' } }])).toMatch(/field `events` must be an array/);
    expect(messageOf([{ file: 'a.wav', events: ['Speech'] }])).toMatch(/field `events\[0\]` must be an object \{ class, startSec, endSec \}, got "Speech"/);
    expect(messageOf([{ file: 'a.wav', events: [event, { ...event, class: '' }] }])).toMatch(/field `events\[1\]\.class` must be a non-empty class name, got ""/);
    expect(messageOf([{ file: 'a.wav', events: [{ ...event, startSec: '1' }] }])).toMatch(/field `events\[0\]\.startSec` must be a finite number ≥ 0, got "1"/);
    expect(messageOf([{ file: 'a.wav', events: [{ ...event, startSec: -0.5 }] }])).toMatch(/`events\[0\]\.startSec` must be a finite number ≥ 0, got -0\.5/);
    expect(messageOf([{ file: 'a.wav', events: [{ ...event, endSec: 1 }] }])).toMatch(/`events\[0\]\.endSec` must be a finite number > startSec \(1\), got 1$/);
    expect(messageOf([{ file: 'a.wav', events: [{ class: 'Speech', startSec: 1 }] }])).toMatch(/`events\[0\]\.endSec` must be a finite number > startSec \(1\), got nothing/);
    expect(messageOf([{ file: 'a.wav', durationSec: 1.5, events: [event] }])).toMatch(/`events\[0\]\.endSec` must be at most durationSec \(1\.5\), got 2/);
  });
});
