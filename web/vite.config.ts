/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { compression } from 'vite-plugin-compression2'
import { VitePWA } from 'vite-plugin-pwa'

// The dev server proxies the API to a local `parley serve`. The WebSocket authenticates
// by cookie only when Origin matches Host, so the proxy presents the target's origin.
const target = process.env.PARLEY_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: each <el-*> used in a template (and v-loading) is imported
    // with its own CSS, instead of the whole library and its 368 KB stylesheet up front.
    // Services (ElMessage, ElMessageBox) stay explicit imports; their CSS is in main.ts.
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
    // Precompressed copies next to each asset (name.js.gz, name.js.br): the server sends
    // the one the browser accepts, with no compression work per request.
    compression({ algorithms: ['gzip', 'brotliCompress'], threshold: 1024 }),
    // The installable app: a service worker precaching the shell (HTML, JS, CSS, fonts) so
    // it opens at once and offline. The manifest comes from the server (it follows the
    // branding; index.html links it); the API is never cached by the worker.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: {
      '/api': {
        target,
        changeOrigin: true,
        ws: true,
        configure: (proxy) => {
          proxy.on('proxyReqWs', (req) => req.setHeader('origin', target))
        },
      },
    },
  },
  build: { outDir: 'dist', chunkSizeWarningLimit: 1500 },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
})
