// Finds the ffmpeg binary: $BLURIG_FFMPEG, else `ffmpeg` on PATH, else the one bundled by @ffmpeg-installer/ffmpeg.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { BlurigError } from '../errors/index.js';

/** Where the chosen ffmpeg came from, for `--verbose`. */
export type FfmpegSource = 'env' | 'path' | 'bundled';

/** The ffmpeg binary that decoding will run. */
export interface FfmpegBinary {
  /** Absolute (or as given in BLURIG_FFMPEG) path of the executable. */
  readonly path: string;
  /** `env`: BLURIG_FFMPEG; `path`: found on PATH; `bundled`: the npm package's static build. */
  readonly source: FfmpegSource;
}

let cached: FfmpegBinary | undefined;

/** The ffmpeg to use with the current environment; resolved once, then cached. */
export function ffmpegBinary(): FfmpegBinary {
  cached ??= resolveFfmpeg(process.env, process.platform);
  return cached;
}

/**
 * Resolves ffmpeg for a given environment (exposed for tests). A system ffmpeg wins over the bundled one
 * because the bundled static build dates from 2018 and lacks newer codecs and fixes.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): FfmpegBinary {
  const fromEnv = env['BLURIG_FFMPEG'];
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit choice that does not work is an error, not a reason to silently run another ffmpeg.
    if (!isExecutableFile(fromEnv)) throw new BlurigError(`BLURIG_FFMPEG is set to "${fromEnv}", which is not an executable file`);
    return { path: fromEnv, source: 'env' };
  }
  const onPath = findOnPath(platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', env['PATH'] ?? env['Path'] ?? '');
  if (onPath !== undefined) return { path: onPath, source: 'path' };
  const bundled = bundledFfmpeg();
  if (bundled !== undefined) return { path: bundled, source: 'bundled' };
  throw new BlurigError('No ffmpeg found: set BLURIG_FFMPEG, put ffmpeg on PATH, or reinstall @ffmpeg-installer/ffmpeg');
}

/** First PATH entry holding an executable `name`; we look ourselves rather than shell out to `which`. */
function findOnPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The bundled binary, loaded lazily with require: @ffmpeg-installer/ffmpeg throws while loading on platforms it
 * has no binary for, and a static import would then break every user who has their own ffmpeg.
 */
function bundledFfmpeg(): string | undefined {
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof installer.path === 'string' && isExecutableFile(installer.path) ? installer.path : undefined;
  } catch {
    return undefined;
  }
}
