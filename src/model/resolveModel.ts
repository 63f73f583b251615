// Finds the model to load: --model, then BLURIG_MODEL, then YAMNet in the per-user cache, then a one-time download into it,
// and where all of those fail, the built-in student the package ships: resolution always ends in a model.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelError, OptionError } from '../errors/index.js';
import { cacheDir } from './cacheDir.js';
import { downloadModel, howToGetModel } from './downloadModel.js';
import { loadModelManifest, type ModelManifest } from './manifest.js';
import { defaultStudentPath } from './student/studentModel.js';

/** Options of {@link resolveModel}. */
export interface ResolveModelOptions {
  /** Path given with `--model` (or `builtin`, the student the package ships); wins over everything else. */
  readonly modelPath?: string;
  /**
   * Told when YAMNet could be found nowhere and could not be downloaded, just before the built-in student is used
   * instead, with the reason (the download's error), so a CLI can say which model runs and how to get YAMNet.
   */
  readonly onBuiltinFallback?: (reason: string) => void;
  /**
   * Download the model into the cache when it is not found anywhere.
   * @default true
   */
  readonly download?: boolean;
  /** Called once before a download starts, so the CLI can say what it is fetching and where to. */
  readonly onDownloadStart?: (url: string, destination: string) => void;
  /** Download progress, as in `downloadModel`. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** Aborts a download in progress. */
  readonly signal?: AbortSignal;
}

/** Where the model file was found. */
export interface ResolvedModel {
  /** Absolute path of the model file. */
  readonly path: string;
  /**
   * `flag` (--model), `env` (BLURIG_MODEL), `cache` (already downloaded), `download` (just downloaded), or
   * `builtin` (the package's student: asked for with `builtin`, or YAMNet could not be had).
   */
  readonly source: 'flag' | 'env' | 'cache' | 'download' | 'builtin';
}

/** What `blurig model info` prints. */
export interface ModelInfo {
  readonly manifest: ModelManifest;
  /** Where the downloaded model lives (or would). */
  readonly cachePath: string;
  /** True when the cached file exists with the manifest's size. */
  readonly installed: boolean;
  /** Size of the cached file, when it exists. */
  readonly bytes?: number;
  /** SHA-256 of the cached file, when it exists. */
  readonly sha256?: string;
  /** Whether that SHA-256 matches the manifest. */
  readonly sha256Ok?: boolean;
  /** Value of BLURIG_MODEL, when set: it overrides the cache. */
  readonly envPath?: string;
}

/** The model file to load, downloading it into the cache the first time unless `download` is false. */
export async function resolveModel(options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  if (options.modelPath === BUILTIN_MODEL) return { path: defaultStudentPath(), source: 'builtin' };
  if (options.modelPath !== undefined && options.modelPath !== '') {
    return { path: await existingFile(options.modelPath, '--model', 'fix the path or drop --model'), source: 'flag' };
  }
  const envPath = process.env.BLURIG_MODEL;
  if (envPath !== undefined && envPath !== '') {
    return { path: await existingFile(envPath, 'BLURIG_MODEL', 'fix or unset BLURIG_MODEL'), source: 'env' };
  }
  const manifest = loadModelManifest();
  const cachePath = join(cacheDir(), manifest.file);
  // A copy of another size is taken for an old or truncated download and replaced; one of the right size must also
  // hash right, on every use: hashing its 4 MB takes 8–23 ms (measured), against 0.5–1.5 s to load it, so no stamp
  // file is kept to skip it (a stamp keyed by size and mtime would also miss damage that keeps both).
  const cachedBytes = await fileSize(cachePath);
  if (cachedBytes === manifest.bytes) {
    await checkCachedCopy(cachePath, manifest);
    return { path: cachePath, source: 'cache' };
  }

  if (options.download === false) {
    const found = cachedBytes === undefined ? 'is not installed' : `at ${cachePath} has ${cachedBytes} bytes instead of ${manifest.bytes}`;
    return builtinFallback(`YAMNet ${found} and downloading is turned off. ${howToGetModel(manifest.url, cachePath)}`, options);
  }
  options.onDownloadStart?.(manifest.url, cachePath);
  try {
    await downloadModel({
      url: manifest.url,
      sha256: manifest.sha256,
      bytes: manifest.bytes,
      destination: cachePath,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } catch (error) {
    // Stopped on purpose, or misconfigured (BLURIG_DOWNLOAD_STALL_SEC): not a reason to run something else.
    if (options.signal?.aborted || error instanceof OptionError) throw error;
    return builtinFallback(error instanceof Error ? error.message : String(error), options);
  }
  return { path: cachePath, source: 'download' };
}

/** `--model builtin`: the student model the package ships (models/student/). */
export const BUILTIN_MODEL = 'builtin';

function builtinFallback(reason: string, options: ResolveModelOptions): ResolvedModel {
  options.onBuiltinFallback?.(reason);
  return { path: defaultStudentPath(), source: 'builtin' };
}

/** The state of the model cache, for `blurig model info`; hashes the cached file (about 4 MB) to check it. */
export async function modelInfo(): Promise<ModelInfo> {
  const manifest = loadModelManifest();
  const cachePath = join(cacheDir(), manifest.file);
  const envPath = process.env.BLURIG_MODEL || undefined;
  const bytes = await fileSize(cachePath);
  if (bytes === undefined) return { manifest, cachePath, installed: false, envPath };
  const sha256 = await sha256OfFile(cachePath);
  return { manifest, cachePath, installed: bytes === manifest.bytes, bytes, sha256, sha256Ok: sha256 === manifest.sha256, envPath };
}

/** Rejects a cached copy whose SHA-256 is not the manifest's: its bytes were damaged after it was installed. */
async function checkCachedCopy(cachePath: string, manifest: ModelManifest): Promise<void> {
  const sha256 = await sha256OfFile(cachePath).catch((error: unknown) => {
    throw new ModelError(`Cannot read the cached YAMNet ${cachePath} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run \`blurig model pull\` to install it again`, cachePath, { cause: error });
  });
  if (sha256 !== manifest.sha256) {
    throw new ModelError(
      `The cached YAMNet ${cachePath} is corrupted (SHA-256 ${sha256.slice(0, 12)}…, expected ${manifest.sha256.slice(0, 12)}…): run \`blurig model pull\` to download it again`,
      cachePath,
    );
  }
}

/** `path` made absolute, or a ModelError naming where the path came from when it is not a file. */
async function existingFile(path: string, origin: string, fix: string): Promise<string> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) throw new ModelError(`Model file ${path} (from ${origin}) does not exist: ${fix}`, absolute);
  if (!info.isFile()) throw new ModelError(`Model file ${path} (from ${origin}) is not a file: ${fix}`, absolute);
  return absolute;
}

/** Size of a regular file, or undefined when there is none. */
async function fileSize(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
