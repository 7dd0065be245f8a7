import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { E2E_DIST } from './scripts/test-hooks.ts';

/**
 * `vite build` is the production build. `vite build --mode e2e` is the end-to-end tests' build, into
 * its own folder: the same app plus the test hooks (the scripted test engine), which sit behind
 * `import.meta.env.MODE === 'e2e'` and so are left out of the production bundle altogether.
 */
export default defineConfig(({ mode }) => ({
  // Relative asset URLs: dist/ works from any sub-path of any static host, with no rewrites.
  base: './',
  plugins: [
    svelte(),
    // The dev server injects CSS as <style> elements (hot reload); the build links stylesheets.
    // So only `vite` (serve) relaxes the Content Security Policy's style-src-elem; builds ship it as written.
    {
      name: 'sift-csp-dev-styles',
      apply: 'serve',
      transformIndexHtml: (html: string) =>
        html.replace("style-src-elem 'self'", "style-src-elem 'self' 'unsafe-inline'"),
    },
    // The app shell is precached so Sift opens offline after the first visit. WebLLM's worker chunk
    // (~6 MB) is left out of the precache: tools-only mode needs none of it, and precaching it would
    // make every first visit pay for a model engine most visits never load. Instead the service worker
    // keeps it the first time a model is used (its name carries a content hash, so cache-first is
    // safe), and a model whose weights the model worker cached can then start offline too.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Sift — startups in your newsletters',
        short_name: 'Sift',
        description:
          'Find the startups in a newsletter and check them against your CRM, with a small model running in your browser.',
        // Relative: the installed app's scope is wherever the folder was uploaded.
        start_url: './',
        scope: './',
        id: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b57d0',
        icons: [
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Android's share sheet: shared text and links open Sift with them in the paste area.
        share_target: {
          action: './',
          method: 'GET',
          params: { title: 'share-title', text: 'share-text', url: 'share-url' },
        },
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm,json}'],
        globIgnores: ['**/llm.worker-*.js'],
        // A shared link arrives as ?share-text=…; it must still find the precached page offline.
        ignoreURLParametersMatching: [/^utm_/, /^fbclid$/, /^share-/],
        maximumFileSizeToCacheInBytes: 3 * 2 ** 20,
        runtimeCaching: [
          {
            urlPattern: /\/llm\.worker-[\w-]+\.js$/,
            handler: 'CacheFirst',
            options: { cacheName: 'sift-model-engine', expiration: { maxEntries: 2 } },
          },
        ],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: {
    format: 'es',
  },
  build: {
    // SIFT_DIST and SIFT_E2E_DIST let parallel runs build side by side without overwriting each other.
    outDir: mode === 'e2e' ? (process.env.SIFT_E2E_DIST ?? E2E_DIST) : (process.env.SIFT_DIST ?? 'dist'),
    target: 'es2022',
    // WebLLM's worker chunk is ~6 MB by design; it loads only when a model is used.
    chunkSizeWarningLimit: 8000,
  },
}));
