import { defineConfig } from 'vite';

// The demo cmi5 package's AU: a standalone page (no React, no DSFR bundle) with relative asset URLs, so that it
// runs from inside its zip wherever an LMS serves it. `npm run build` zips nothing: the demo and tests zip dist-package.
export default defineConfig({
  root: 'cmi5-package',
  base: './',
  build: { outDir: '../dist-package', emptyOutDir: true },
});
