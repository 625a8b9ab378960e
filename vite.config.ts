// Vite builds the web UI (src/web) into dist/web, which the server serves as static
// files with an index.html fallback for client-side routes.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // antd alone is ~1 MB minified: keep it (and React) in their own long-lived chunks so
    // the app chunk stays small and a UI change does not invalidate the vendor caches.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|@emotion|rc-[^\\/]+|dayjs)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite` for UI work: forward API calls to a running `hocba serve` (PORT 8080 by default).
    // The key is a RegExp (leading ^): a plain '/api' prefix would also swallow /api.ts.
    // Host is passed through unchanged: the server refuses writes whose Origin names another host.
    proxy: {
      '^/api/': { target: `http://localhost:${process.env.HOCBA_API_PORT ?? '8080'}`, changeOrigin: false },
    },
  },
});
