import { defineConfig } from 'vitest/config';

/*
 * The build lands in target/classes/static so Maven packs it into rde-ui.jar under static/, where
 * the portal serves it at '/'. JSX goes through esbuild (no React plugin): fast refresh is not worth
 * a dependency that newer npm releases are needed for.
 */
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    // The preload polyfill is an extra script; every supported browser preloads modules itself.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npm run dev` against a running portal. The identity provider must accept this origin:
    // start the portal with --rde.identity.allowed-origins=http://localhost:5173
    // --rde.identity.ui-redirect-uris=http://localhost:5173/
    proxy: {
      '/api': { target: process.env.RDE_PORTAL_URL ?? 'http://localhost:8080', ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    // Two cores shared with the Java build: one worker thread keeps the run short and polite.
    pool: 'threads',
    poolOptions: { threads: { singleThread: true } },
  },
});
