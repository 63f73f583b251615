// Reads a spans file (the format of samples/samples.json): the labelled events of each clip, for localisation.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BlurigError } from '../errors/index.js';
import type { LabelledSpan } from '../types.js';

/** Labelled events by clip: the key is the entry's `file` reduced to its base name (`a/b/speech.wav` → `speech.wav`). */
export type SpansByFile = ReadonlyMap<string, readonly LabelledSpan[]>;

/**
 * Reads and checks the spans file at `path`: a JSON array of `{ file, durationSec?, events: [{ class, startSec, endSec }] }`
 * (extra fields are ignored). Throws a BlurigError naming the file, the entry and the field for anything malformed.
 */
export async function readSpans(path: string): Promise<SpansByFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BlurigError(`Cannot read the spans file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path`, { cause: error });
  }
  return parseSpans(text, path);
}

/**
 * The spans of a spans file's text; `source` names it in messages. Per entry: `file` a non-empty string whose base
 * name no other entry has; `durationSec`, when present, a finite number > 0; `events` an array (possibly empty) of
 * `class` (non-empty string), `startSec` (finite, ≥ 0) and `endSec` (finite, > startSec, ≤ durationSec when given).
 * Events keep their order in the file.
 */
export function parseSpans(text: string, source: string): SpansByFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BlurigError(`Spans file ${source} is not valid JSON (${(error as Error).message}): fix the file`, { cause: error });
  }
  if (!Array.isArray(raw)) throw new BlurigError(`Spans file ${source} must hold a JSON array of { file, events } entries, got ${describe(raw)}`);
  const spans = new Map<string, LabelledSpan[]>();
  raw.forEach((entry: unknown, i) => {
    const record = (typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {}) as Record<string, unknown>;
    const file = record.file;
    const where = typeof file === 'string' && file !== '' ? `entry [${i}] ("${file}")` : `entry [${i}]`;
    const fail = (field: string, allowed: string, got: unknown): never => {
      throw new BlurigError(`Spans file ${source}: ${where} field \`${field}\` must be ${allowed}, got ${describe(got)}`);
    };
    if (record !== entry) fail('(the entry itself)', 'an object { file, events }', entry);
    if (typeof file !== 'string' || file === '') return fail('file', 'a non-empty string', file);
    const name = basename(file.replaceAll('\\', '/'));
    if (spans.has(name)) fail('file', `a base name no earlier entry has (another entry is "${name}")`, file);
    const durationSec = record.durationSec;
    if (durationSec !== undefined && !(typeof durationSec === 'number' && Number.isFinite(durationSec) && durationSec > 0)) {
      fail('durationSec', 'a finite number > 0 (or absent)', durationSec);
    }
    if (!Array.isArray(record.events)) return fail('events', 'an array of { class, startSec, endSec }', record.events);
    const events = record.events.map((event: unknown, j): LabelledSpan => {
      const e = (typeof event === 'object' && event !== null && !Array.isArray(event) ? event : {}) as Record<string, unknown>;
      if (e !== event) fail(`events[${j}]`, 'an object { class, startSec, endSec }', event);
      const { class: className, startSec, endSec } = e;
      if (typeof className !== 'string' || className === '') fail(`events[${j}].class`, 'a non-empty class name', className);
      if (typeof startSec !== 'number' || !Number.isFinite(startSec) || startSec < 0) fail(`events[${j}].startSec`, 'a finite number ≥ 0', startSec);
      const start = startSec as number;
      if (typeof endSec !== 'number' || !Number.isFinite(endSec) || endSec <= start) fail(`events[${j}].endSec`, `a finite number > startSec (${start})`, endSec);
      if (typeof durationSec === 'number' && (endSec as number) > durationSec) fail(`events[${j}].endSec`, `at most durationSec (${durationSec})`, endSec);
      return { class: className as string, startSec: start, endSec: endSec as number };
    });
    spans.set(name, events);
  });
  return spans;
}

/** The labelled events of the clip at `inputPath` (matched by base name), or undefined when the spans file has none. */
export function spansFor(spans: SpansByFile, inputPath: string): readonly LabelledSpan[] | undefined {
  return spans.get(basename(inputPath.replaceAll('\\', '/')));
}

/** A value as a message shows it: JSON, cut to 40 characters. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}
