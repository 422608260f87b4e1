import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API at "/"; in development, API calls go to the API on port 3000.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { proxy: { '/graphql': 'http://localhost:3000', '/xapi': 'http://localhost:3000' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
