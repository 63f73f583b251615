// `blurig model pull` and `blurig model info`: install YAMNet into the per-user cache and say what is installed.
import { answeredHelpOrVersion, COMMON_OPTIONS, expectPositionals, parseCommandArgs, UsageError } from '../args.js';
import { didYouMean } from '../nearNames.js';
import { writeStdout } from '../stdout.js';
import { InterruptedError, onStop } from '../stopRun.js';

export const MODEL_HELP = `Usage: blurig model <pull|info> [options]

  pull [--force]   download YAMNet (int8 TFLite build) into the per-user cache, checking its SHA-256
                   (set BLURIG_MODEL_URL to use a mirror, BLURIG_CACHE_DIR to move the cache);
                   Ctrl-C stops it and removes the partial file (exit 130)
  info [--json]    where the model is looked for, and whether it is installed and intact
  -v/--verbose, -h/--help, -V/--version
`;

const ACTIONS = ['pull', 'info'];

/** Runs `blurig model …` with the arguments after `model`. */
export async function modelCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('model', argv, {
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    ...COMMON_OPTIONS,
  });
  if (answeredHelpOrVersion(values, MODEL_HELP)) return;
  const [action] = expectPositionals('model', positionals, ['pull|info']);
  if (action === 'info') return printInfo(values.json === true);
  if (action === 'pull') return pull(values.force === true);
  const hint = didYouMean(action, ACTIONS, (a) => `'blurig model ${a}'`);
  throw new UsageError(`Unknown action "${action}" for blurig model${hint === '' ? '' : ` (${hint})`}: use 'blurig model pull' or 'blurig model info'.`);
}

async function pull(force: boolean): Promise<void> {
  const { modelInfo } = await import('../../model/resolveModel.js');
  const { downloadModel } = await import('../../model/downloadModel.js');
  const { createProgressBar } = await import('../progressBar.js');
  const info = await modelInfo();
  if (info.installed && info.sha256Ok && !force) {
    writeStdout(`${info.manifest.name} is already installed at ${info.cachePath} (SHA-256 verified).\n`);
    return;
  }
  process.stderr.write(`Downloading ${info.manifest.name} from ${info.manifest.url}\n  to ${info.cachePath}\n`);
  const bar = createProgressBar('YAMNet');
  // Ctrl-C aborts the fetch; downloadModel then removes its partial file.
  const abort = new AbortController();
  const release = onStop((reason) => reason === 'interrupt' && abort.abort());
  try {
    await downloadModel({
      url: info.manifest.url,
      sha256: info.manifest.sha256,
      bytes: info.manifest.bytes,
      destination: info.cachePath,
      onProgress: (received, total) => bar.update(received, total),
      signal: abort.signal,
    });
  } catch (error) {
    if (abort.signal.aborted) throw new InterruptedError(`interrupted: the download was stopped and nothing was installed at ${info.cachePath}`, { cause: error });
    throw error;
  } finally {
    release();
    bar.finish();
  }
  writeStdout(`Installed ${info.manifest.name} at ${info.cachePath} (SHA-256 ${info.manifest.sha256}).\n`);
}

async function printInfo(asJson: boolean): Promise<void> {
  const { modelInfo } = await import('../../model/resolveModel.js');
  const info = await modelInfo();
  if (asJson) {
    writeStdout(JSON.stringify(info, null, 2) + '\n');
    return;
  }
  const state = !info.installed ? 'not installed' : info.sha256Ok ? 'installed, SHA-256 verified' : 'installed, but its SHA-256 does not match: run blurig model pull --force';
  const lines = [
    `Model:         ${info.manifest.name} (${info.manifest.license})`,
    `Cache:         ${info.cachePath} (${state})`,
    `BLURIG_MODEL:  ${info.envPath ?? '(not set)'}`,
    `Download from: ${info.manifest.url}`,
    `SHA-256:       ${info.manifest.sha256}, ${info.manifest.bytes} bytes`,
    'Looked for in this order: --model PATH, BLURIG_MODEL, the cache; missing, it is downloaded once into the cache.',
  ];
  writeStdout(lines.join('\n') + '\n');
}
