import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Two pages: the console (index.html, antd) and the light mobile entry (m.html, served at /m), which shares no chunk with antd.
    rolldownOptions: { input: { console: fileURLToPath(new URL('index.html', import.meta.url)), mobile: fileURLToPath(new URL('m.html', import.meta.url)) } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
});
