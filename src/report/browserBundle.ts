// The browser code of the report and the live page as one script each: built into dist/browser/ by `npm run build`, bundled with esbuild on the fly from source.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlurigError } from '../errors/index.js';
import { packagePath } from '../packageFiles.js';

/** The pages with browser code: `report` (explain --html) and `live` (serve). */
export type BrowserPage = 'report' | 'live';

const cache = new Map<BrowserPage, string>();
/** Running as TypeScript (tsx, vitest) rather than from dist/: then the sources are bundled, never a stale build. */
const FROM_SOURCE = fileURLToPath(import.meta.url).endsWith('.ts');

/** The bundled script of `page`, ready to inline; cached per process. */
export async function browserScript(page: BrowserPage): Promise<string> {
  const cached = cache.get(page);
  if (cached !== undefined) return cached;
  const built = packagePath('dist', 'browser', `${page}.js`);
  const script = !FROM_SOURCE && existsSync(built) ? readFileSync(built, 'utf8') : await bundle(page);
  cache.set(page, script);
  return script;
}

/** Writes every page's bundle into `outDir` (the build step: `npm run build`). */
export async function writeBrowserBundles(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const page of ['report', 'live'] as const) writeFileSync(join(outDir, `${page}.js`), await bundle(page));
}

/** esbuild: one minified IIFE for current browsers, no imports left, `</script` never inside it. */
async function bundle(page: BrowserPage): Promise<string> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new BlurigError(`The ${page} page's browser code is not built (dist/browser/${page}.js is missing) and esbuild is not installed: run 'npm run build' where blurig-audio was installed with its dev dependencies.`, { cause: error });
  }
  const result = await esbuild.build({
    entryPoints: [packagePath('src', 'report', 'browser', `${page}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  // An inline script ends at the first `</script`: escape it wherever it might occur (strings, regexes).
  return result.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
}
