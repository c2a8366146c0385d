import { defineConfig } from 'vite';

// The built app is served by Parley.Server from its wwwroot (the server's build runs this).
export default defineConfig({
  build: {
    outDir: '../src/Parley.Server/wwwroot',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` talks to a Parley started on its default address.
    proxy: {
      '/api': 'http://127.0.0.1:5080',
      '/cometd': { target: 'http://127.0.0.1:5080', ws: true },
    },
  },
});
