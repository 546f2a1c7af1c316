/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Django serves the built console: index.html from src/yigongti/web/ for every non-API path, and
// the files of src/yigongti/web/assets/ at /static/ (STATICFILES_DIRS + whitenoise). So the bundle
// is written flat into .../web/assets with URLs /static/<file>, and scripts/move-index.mjs moves
// index.html one level up after the build.
export const OUT_DIR = fileURLToPath(new URL('../src/yigongti/web/assets', import.meta.url))

export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/static/' : '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    port: 5173,
    // The console's own files, and docs/ for the OpenAPI document that tests/openapi-contract.spec.ts reads.
    fs: { allow: ['.', '../docs'] },
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
      // any non-API Django path sets the csrftoken cookie (see CSRF_BOOTSTRAP_PATH in src/api/http.ts)
      '/csrf-cookie': { target: 'http://127.0.0.1:8000', changeOrigin: false },
      // the notification socket (platform/notify, src/stores/notify.ts)
      '/ws': { target: 'ws://127.0.0.1:8000', ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: OUT_DIR,
    assetsDir: '',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus)/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/__tests__/**/*.spec.ts', 'tests/**/*.spec.ts'],
    setupFiles: ['tests/setup.ts'],
    css: false,
    server: { deps: { inline: ['element-plus'] } },
  },
}))
