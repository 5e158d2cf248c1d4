import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { i18n, detectLocale, type AppLocale } from '@/i18n'

type Theme = 'light' | 'dark' | 'system'
const KEY = 'parley.settings'

interface Saved {
  locale?: AppLocale | 'auto'
  theme?: Theme
  enterSends?: boolean
  notifications?: boolean
  sound?: boolean
  notificationsDecided?: boolean
}

function load(): Saved {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved
  } catch {
    return {}
  }
}

export const useSettingsStore = defineStore('settings', () => {
  const saved = load()
  /** 'auto' follows the browser's language. */
  const localeChoice = ref<AppLocale | 'auto'>(saved.locale ?? 'auto')
  const theme = ref<Theme>(saved.theme ?? 'system')
  const enterSends = ref(saved.enterSends ?? true)
  const notifications = ref(saved.notifications ?? false)
  /** A short chime for new messages (never for muted conversations). */
  const sound = ref(saved.sound ?? true)
  /** The person answered the notification offer or used the switch: never offer again. */
  const notificationsDecided = ref(saved.notificationsDecided ?? false)

  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

  function applyTheme() {
    const dark = theme.value === 'dark' || (theme.value === 'system' && !!media?.matches)
    document.documentElement.classList.toggle('dark', dark)
  }

  function applyLocale() {
    const locale = localeChoice.value === 'auto' ? detectLocale() : localeChoice.value
    i18n.global.locale.value = locale
    document.documentElement.lang = locale
  }

  media?.addEventListener('change', applyTheme)
  watch([localeChoice, theme, enterSends, notifications, sound, notificationsDecided], () => {
    localStorage.setItem(
      KEY,
      JSON.stringify({
        locale: localeChoice.value, theme: theme.value, enterSends: enterSends.value, notifications: notifications.value, sound: sound.value,
        notificationsDecided: notificationsDecided.value,
      }),
    )
    applyTheme()
    applyLocale()
  })
  applyTheme()
  applyLocale()

  async function enableNotifications(on: boolean) {
    notificationsDecided.value = true
    if (on && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
      const result = await Notification.requestPermission()
      on = result === 'granted'
    }
    notifications.value = on
    return on
  }

  return { localeChoice, theme, enterSends, notifications, sound, notificationsDecided, enableNotifications }
})
