// Build step after tsc: bundles the report's and the live page's browser code into dist/browser/ (see src/report/browserBundle.ts).
import { writeBrowserBundles } from '../dist/src/report/browserBundle.js';

await writeBrowserBundles(new URL('../dist/browser/', import.meta.url).pathname);
