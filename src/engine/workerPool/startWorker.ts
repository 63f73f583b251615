// Starts a worker thread on a module: built JavaScript as is, TypeScript sources (tests, tsx) with tsx registered inside the thread.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A Worker running `entry`. For a `.ts` entry the thread first registers tsx's ESM hooks through its API and then
 * imports the entry: Node 20 ignores `--import` in a worker's execArgv, and vitest (which runs the sources through
 * vite) has no tsx to inherit at all, so the worker must register it itself. tsx is resolved from this package,
 * whatever the working directory.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  // tsx's own loader flags would register it a second time where a Node version does honour them in workers.
  return new Worker(bootstrap, { ...options, eval: true, execArgv: withoutTsx(options.execArgv ?? process.execArgv) });
}

let cachedApiUrl: string | undefined;

/** URL of tsx's ESM register API (`tsx/esm/api`, import condition): require.resolve would give its CommonJS build. */
export function tsxApiUrl(): string {
  if (cachedApiUrl !== undefined) return cachedApiUrl;
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported: unknown = JSON.parse(readFileSync(manifestPath, 'utf8')).exports?.['./esm/api']?.import;
  const file = typeof exported === 'string' ? exported : (exported as { default?: unknown } | undefined)?.default;
  if (typeof file !== 'string') throw new Error(`Cannot find tsx's ESM API in ${manifestPath}: run from the built dist/ or update tsx`);
  cachedApiUrl = pathToFileURL(join(dirname(manifestPath), file)).href;
  return cachedApiUrl;
}

/** `execArgv` without tsx's `--import`/`--require`/`--loader` entries. */
function withoutTsx(execArgv: readonly string[]): string[] {
  const isTsx = (value: string | undefined) => value !== undefined && /(^|[/\\])tsx([/\\]|$)/.test(value);
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const [flag, inline] = execArgv[i].split(/=(.*)/s);
    if (['--import', '--require', '-r', '--loader', '--experimental-loader'].includes(flag)) {
      const value = inline ?? execArgv[i + 1];
      if (isTsx(value)) {
        if (inline === undefined) i++;
        continue;
      }
    }
    out.push(execArgv[i]);
  }
  return out;
}
