// Where downloaded models live: one per-user cache folder, following each platform's convention.
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

const APP_FOLDER = 'blurig-audio';

/**
 * The per-user cache folder: `BLURIG_CACHE_DIR` if set, else `$XDG_CACHE_HOME/blurig-audio`, else the
 * platform's cache folder (`~/.cache`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows).
 * The folder may not exist yet; whoever writes to it creates it.
 */
export function cacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  // Join with the target platform's rules, so the answer is right even when computed for another platform in tests.
  const path = platform === 'win32' ? win32 : posix;
  if (isSet(env.BLURIG_CACHE_DIR)) return path.resolve(env.BLURIG_CACHE_DIR);
  // XDG_CACHE_HOME must be absolute per the XDG spec; a relative one is ignored, as other tools do.
  if (isSet(env.XDG_CACHE_HOME) && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', APP_FOLDER);
  if (platform === 'win32') {
    const localAppData = isSet(env.LOCALAPPDATA) ? env.LOCALAPPDATA : path.join(home, 'AppData', 'Local');
    return path.join(localAppData, APP_FOLDER);
  }
  return path.join(home, '.cache', APP_FOLDER);
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
