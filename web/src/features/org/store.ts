import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { Branding, BrandingUpdate } from '@/api/types'
import { orgApi } from './api'
import { DEFAULT_PRIMARY, primaryVars } from './theme'

const CACHE = 'parley.branding'

function cached(): Branding | null {
  try {
    return JSON.parse(localStorage.getItem(CACHE) ?? 'null') as Branding | null
  } catch {
    return null
  }
}

/** The organisation's brand (name, colour, logo) from the server, applied to the whole
 * client. Cached locally so a reload paints in the brand colour at once. */
export const useBrandingStore = defineStore('branding', () => {
  const branding = ref<Branding | null>(cached())
  const name = computed(() => branding.value?.organization_name || 'Parley')
  const color = computed(() => branding.value?.primary_color || DEFAULT_PRIMARY)
  const logo = computed(() => branding.value?.logo_url || '/favicon.svg')
  const dark = ref(typeof document !== 'undefined' && document.documentElement.classList.contains('dark'))

  function apply() {
    if (typeof document === 'undefined') return
    const root = document.documentElement
    for (const [k, v] of Object.entries(primaryVars(color.value, dark.value))) root.style.setProperty(k, v)
    document.querySelector('meta[name="theme-color"]')?.setAttribute('content', color.value) // the phone's status bar
    const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]')
    if (icon && branding.value?.logo_url) icon.href = branding.value.logo_url
  }

  function set(b: Branding) {
    branding.value = b
    localStorage.setItem(CACHE, JSON.stringify(b))
  }

  /** Fetch the brand; a server without the endpoint (404) or offline keeps the defaults. */
  async function load() {
    try {
      set(await orgApi.branding())
    } catch {
      // silently keep what we have
    }
  }

  async function update(body: BrandingUpdate) {
    set(await orgApi.updateBranding(body))
  }

  // Follow the theme (the dark palette mixes differently).
  if (typeof MutationObserver !== 'undefined' && typeof document !== 'undefined') {
    new MutationObserver(() => {
      const d = document.documentElement.classList.contains('dark')
      if (d !== dark.value) dark.value = d
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
  }
  watch([color, dark, branding], apply, { immediate: true })

  return { branding, name, color, logo, load, update, set }
})
