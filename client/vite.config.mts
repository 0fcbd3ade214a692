import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.SOC_HUB_URL ?? 'http://localhost:4000';

/**
 * The web client. `npm run build:client` writes dist/client, which the server serves at `/`;
 * `npm run dev` serves it with hot reload, sending API calls to the running server.
 */
export default defineConfig({
  root: `${here}web`,
  plugins: [react()],
  build: { outDir: `${here}../dist/client`, emptyOutDir: true },
  server: {
    proxy: {
      '/graphql': { target: server, ws: true },
      '/auth': server,
    },
  },
});
