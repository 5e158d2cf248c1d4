// Thumbnails and preview pages as object URLs, cached: the virtual message list mounts and
// unmounts rows as it scrolls, and a row coming back must not fetch its thumbnail again.
// An <img src> cannot wait out a 202 ("being made"), hence fetch + blob URLs (the page's
// CSP allows blob: images).
import { onScopeDispose, ref, watch, type Ref } from 'vue'
import { ApiError } from '@/api/http'
import { fetchRendition } from './api'

interface Entry {
  promise: Promise<{ url: string; pages: number; total: number }>
  url?: string
}

const MAX = 300
const cache = new Map<string, Entry>()

/** An object URL for a rendition, shared by everyone asking for the same one. */
export function loadRendition(src: string): Promise<{ url: string; pages: number; total: number }> {
  const hit = cache.get(src)
  if (hit) {
    // Most recently used last, so eviction takes the oldest.
    cache.delete(src)
    cache.set(src, hit)
    return hit.promise
  }
  const entry: Entry = {
    promise: fetchRendition(src).then((r) => {
      entry.url = URL.createObjectURL(r.blob)
      return { url: entry.url, pages: r.pages, total: r.total }
    }),
  }
  entry.promise.catch(() => cache.delete(src)) // a failure is not remembered: try again next time
  cache.set(src, entry)
  while (cache.size > MAX) {
    const [oldest, old] = cache.entries().next().value as [string, Entry]
    cache.delete(oldest)
    if (old.url) URL.revokeObjectURL(old.url)
  }
  return entry.promise
}

/** Reactive wrapper: `url` once loaded, `error` (an ApiError, e.g. 415 with notes) if not. */
export function useRendition(src: Ref<string | null | undefined>) {
  const url = ref<string | null>(null)
  const pages = ref(1)
  const total = ref(1)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  let current = 0
  watch(
    src,
    async (s) => {
      const mine = ++current
      url.value = null
      error.value = null
      if (!s) return
      loading.value = true
      try {
        const r = await loadRendition(s)
        if (mine !== current) return
        url.value = r.url
        pages.value = r.pages
        total.value = r.total
      } catch (err) {
        if (mine !== current) return
        error.value = err instanceof ApiError ? err : new ApiError(0, 'network_error', String(err))
      } finally {
        if (mine === current) loading.value = false
      }
    },
    { immediate: true },
  )
  onScopeDispose(() => {
    current++
  })
  return { url, pages, total, error, loading }
}
