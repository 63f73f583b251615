// Reads models/yamnet.json, the record of which YAMNet file we use, where it comes from and how to recognise it.
import { readFileSync } from 'node:fs';
import { ModelError } from '../errors/index.js';
import { packagePath } from '../packageFiles.js';

/** What models/yamnet.json says about the model file; the file itself is downloaded, never shipped. */
export interface ModelManifest {
  /** Human-readable model name. */
  readonly name: string;
  /** File name of the model in the cache, e.g. `yamnet_spectra_in.tflite`. */
  readonly file: string;
  /** Download URL; `BLURIG_MODEL_URL` replaces it (mirrors, tests). */
  readonly url: string;
  /** Exact size of the file in bytes. */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file. */
  readonly sha256: string;
  /** SPDX licence of the model file. */
  readonly license: string;
  /** File name of the class map inside models/. */
  readonly classMap: string;
  /** Where the file and its architecture come from. */
  readonly source: string;
}

const STRING_FIELDS = ['name', 'file', 'url', 'sha256', 'license', 'classMap', 'source'] as const;

/** The manifest, read afresh on each call so that a changed `BLURIG_MODEL_URL` takes effect. */
export function loadModelManifest(env: NodeJS.ProcessEnv = process.env): ModelManifest {
  const path = packagePath('models', 'yamnet.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelError(`Cannot read the model manifest ${path}: reinstall blurig-audio`, path, { cause: error });
  }
  const record = raw as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new ModelError(`Model manifest ${path} lacks the string field "${field}": reinstall blurig-audio`, path);
    }
  }
  if (!Number.isSafeInteger(record.bytes) || (record.bytes as number) <= 0) {
    throw new ModelError(`Model manifest ${path} lacks a positive integer "bytes": reinstall blurig-audio`, path);
  }
  const manifest = record as unknown as ModelManifest;
  const urlOverride = env.BLURIG_MODEL_URL;
  return {
    name: manifest.name,
    file: manifest.file,
    url: urlOverride !== undefined && urlOverride !== '' ? urlOverride : manifest.url,
    bytes: manifest.bytes,
    sha256: manifest.sha256.toLowerCase(),
    license: manifest.license,
    classMap: manifest.classMap,
    source: manifest.source,
  };
}
