// Test runner settings: tests run in forked processes so tfjs backends and ffmpeg children stay isolated.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // tfjs-core has no backend of its own: tests that build tensors before choosing one get the JavaScript backend.
    setupFiles: ['test/helpers/tfBackend.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
