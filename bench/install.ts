// Issue 10: what a user's plain install gets. Packs this checkout, installs the tarball into an empty folder with no
// project .npmrc (the registry is the only network it uses), then runs `npx blurig explain` there with YAMNet
// unreachable (empty cache, a closed port as the download address), and prints node_modules' size, the engine and
// model each command reports, and the time. Run: npx tsx bench/install.ts [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './harness.js';

/** Megabytes under `path` (apparent sizes, as du -sm --apparent-size). */
function megabytes(path: string): number {
  let bytes = 0;
  const walk = (p: string): void => {
    const info = statSync(p, { throwIfNoEntry: false });
    if (info === undefined) return;
    if (info.isDirectory()) for (const entry of readdirSync(p)) walk(join(p, entry));
    else bytes += info.size;
  };
  walk(path);
  return bytes / 1e6;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const work = mkdtempSync(join(tmpdir(), 'blurig-install-'));
try {
  const tarball = execFileSync('npm', ['pack', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1)!;
  const user = join(work, 'user');
  execFileSync('mkdir', ['-p', user]);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'user', version: '1.0.0', private: true }));
  const started = Date.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', join(work, tarball)], { cwd: user, stdio: 'ignore' });
  console.log(`npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}: installed ${tarball} in ${((Date.now() - started) / 1000).toFixed(0)} s, no .npmrc`);
  const modules = join(user, 'node_modules');
  const sizes = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name]));
  const rows = sizes.map((name) => [name, megabytes(join(modules, name))] as const).sort((a, b) => b[1] - a[1]);
  const onDisk = spawnSync('du', ['-sm', modules], { encoding: 'utf8' }).stdout.split('\t')[0];
  console.log(`node_modules: ${megabytes(modules).toFixed(0)} MB of files, ${onDisk} MB on disk (du -sm) (target ≤ 250 MB); largest: ${rows.slice(0, 6).map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ')}`);
  console.log(`onnxruntime-node installed: ${sizes.includes('onnxruntime-node') ? 'yes' : 'NO'}`);
  const env = { ...process.env, BLURIG_MODEL: '', BLURIG_CACHE_DIR: join(work, 'cache'), BLURIG_MODEL_URL: `http://127.0.0.1:${await closedPort()}/yamnet_spectra_in.tflite` };
  const sample = join(REPO, 'samples', 'mixture.wav');
  for (const args of [['explain', sample, '--json', join(work, 'e.json')], ['explain', sample, '--engine', 'onnx', '--model', join(REPO, '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite'), '--json', join(work, 'y.json')]]) {
    const t0 = Date.now();
    const run = spawnSync('npx', ['blurig', ...args], { cwd: user, env, encoding: 'utf8' });
    const first = run.stdout.split('\n')[0];
    console.log(`\n$ npx blurig ${args.map((a) => a.replace(work, '$TMP').replace(REPO, '$REPO')).join(' ')}\n  exit ${run.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${first}`);
    for (const line of run.stderr.split('\n').filter((l) => l.startsWith('blurig:'))) console.log(`  stderr: ${line}`);
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
