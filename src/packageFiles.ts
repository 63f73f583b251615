// Finds files shipped inside the blurig-audio package (class map, model manifest, samples), from source or from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The folder holding blurig-audio's package.json, found by walking up from this module. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'blurig-audio') {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('blurig-audio: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Absolute path of a file inside the package, e.g. `packagePath('models', 'yamnet_class_map.csv')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
