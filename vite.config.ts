import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path of any static host, with no rewrites.
  base: './',
  plugins: [svelte()],
  worker: {
    format: 'es',
  },
  build: {
    // SIFT_DIST lets parallel test runs build side by side without overwriting each other.
    outDir: process.env.SIFT_DIST ?? 'dist',
    target: 'es2022',
    // WebLLM's worker chunk is ~6 MB by design; it loads only when a model is used.
    chunkSizeWarningLimit: 8000,
  },
});
