import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` runs the FHIR server on DEV_API_PORT and Vite proxies the server's own paths to it.
// The Host header is kept, so the server sees the sign-in redirect as coming back to its own origin.
const apiTarget = `http://127.0.0.1:${process.env.DEV_API_PORT ?? '8081'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      ['/fhir', '/auth', '/config.json'].map((path) => [path, { target: apiTarget, changeOrigin: false }]),
    ),
  },
  build: { outDir: 'dist', sourcemap: true },
});
