#!/usr/bin/env node
// Entry point of the `blurig` command: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("blurig: dist/ is missing: run 'npm run build' in the blurig-audio folder (npm install does it too).\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
