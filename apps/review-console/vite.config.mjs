// The review console's build: served by the ingest API under /console from dist/apps/review-console
// (apps/ingest-api/src/console/serve-console.ts serves assets/ as they are, index.html for every route).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  // Only the contracts' types and zod schemas: no Node code reaches the browser.
  resolve: { alias: { '@clipguard/contracts': here('../../libs/contracts/src') } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/apps/review-console'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      // react-query marks its modules "use client" for React Server Components; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
