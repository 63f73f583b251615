// `blurig model pull` and `blurig model info`: install YAMNet into the per-user cache and say what is installed.
import { downloadModel } from '../../model/downloadModel.js';
import { modelInfo } from '../../model/resolveModel.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../args.js';
import { createProgressBar } from '../progressBar.js';

export const MODEL_HELP = `Usage: blurig model <pull|info> [options]

  pull [--force]   download YAMNet (int8 TFLite build) into the per-user cache, checking its SHA-256
                   (set BLURIG_MODEL_URL to use a mirror, BLURIG_CACHE_DIR to move the cache)
  info [--json]    where the model is looked for, and whether it is installed and intact
`;

/** Runs `blurig model …` with the arguments after `model`. */
export async function modelCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('model', argv, {
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(MODEL_HELP);
    return;
  }
  const [action] = expectPositionals('model', positionals, ['pull|info']);
  if (action === 'info') return printInfo(values.json === true);
  if (action === 'pull') return pull(values.force === true);
  throw new UsageError(`Unknown action "${action}" for blurig model: use 'blurig model pull' or 'blurig model info'.`);
}

async function pull(force: boolean): Promise<void> {
  const info = await modelInfo();
  if (info.installed && info.sha256Ok && !force) {
    process.stdout.write(`${info.manifest.name} is already installed at ${info.cachePath} (SHA-256 verified).\n`);
    return;
  }
  process.stderr.write(`Downloading ${info.manifest.name} from ${info.manifest.url}\n  to ${info.cachePath}\n`);
  const bar = createProgressBar('YAMNet');
  try {
    await downloadModel({
      url: info.manifest.url,
      sha256: info.manifest.sha256,
      bytes: info.manifest.bytes,
      destination: info.cachePath,
      onProgress: (received, total) => bar.update(received, total),
    });
  } finally {
    bar.finish();
  }
  process.stdout.write(`Installed ${info.manifest.name} at ${info.cachePath} (SHA-256 ${info.manifest.sha256}).\n`);
}

async function printInfo(asJson: boolean): Promise<void> {
  const info = await modelInfo();
  if (asJson) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
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
  process.stdout.write(lines.join('\n') + '\n');
}
