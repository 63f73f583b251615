// Runs one downloadModel in a child process for signal tests: `<url> <destination> <sha256> [exit]`, a dot on stdout per chunk.
import { downloadModel } from '../../src/model/downloadModel.js';

const [url, destination, sha256, mode] = process.argv.slice(2);
let chunks = 0;
await downloadModel({
  url,
  destination,
  sha256,
  onProgress: () => {
    process.stdout.write('.');
    // `exit`: end the process from elsewhere mid-download, as the CLI does on Ctrl-C when no command listens.
    if (mode === 'exit' && ++chunks === 1) setTimeout(() => process.exit(3), 50);
  },
});
