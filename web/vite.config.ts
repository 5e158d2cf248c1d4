/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'

// The dev server proxies the API to a local `parley serve`. The WebSocket authenticates
// by cookie only when Origin matches Host, so the proxy presents the target's origin.
const target = process.env.PARLEY_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    vue(),
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
