import { computed, ref } from 'vue'

// Which layout the window calls for, shared by every component that adapts:
// phone (< 768 px): one column, stacked views, a bottom tab bar;
// tablet (768-1024 px): the desktop columns, with the details panel as a drawer;
// desktop: as designed first.
export const PHONE_MAX = 767.98
export const TABLET_MAX = 1024

const width = ref(typeof window !== 'undefined' ? window.innerWidth : 1280)
let watching = false

function watchWindow() {
  if (watching || typeof window === 'undefined') return
  watching = true
  window.addEventListener('resize', () => (width.value = window.innerWidth), { passive: true })
  // The on-screen keyboard shrinks the visual viewport; where the browser does not resize
  // the page for it (iOS Safari), the app's height follows the visible part, so the
  // composer stays above the keyboard. (Chrome resizes content itself: interactive-widget.)
  const vv = window.visualViewport
  if (vv) {
    const fit = () => document.documentElement.style.setProperty('--p-app-height', `${Math.round(vv.height)}px`)
    vv.addEventListener('resize', fit, { passive: true })
    fit()
  }
}

export function useLayout() {
  watchWindow()
  const phone = computed(() => width.value <= PHONE_MAX)
  const tablet = computed(() => !phone.value && width.value <= TABLET_MAX)
  return { phone, tablet }
}
