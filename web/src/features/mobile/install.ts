import { shallowRef } from 'vue'

// Chromium offers to install a PWA through `beforeinstallprompt`, once, early in the
// page's life: keep it, so the Me view can offer "Install app" when the user wants it.
interface InstallPrompt extends Event { prompt(): Promise<void> }

export const installPrompt = shallowRef<InstallPrompt | null>(null)

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault()
    installPrompt.value = e as InstallPrompt
  })
  window.addEventListener('appinstalled', () => (installPrompt.value = null))
}

export async function install() {
  const p = installPrompt.value
  installPrompt.value = null
  await p?.prompt()
}
