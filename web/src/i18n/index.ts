import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'
import filesMessages from '@/features/files/i18n'
import profileMessages from '@/features/users/i18n'
import accountMessages from '@/features/users/accountsI18n'
import fieldErrorMessages from '@/shared/forms/i18n'
import callsMessages from '@/features/calls/i18n'
import mobileMessages from '@/features/mobile/i18n'
import rolesMessages from '@/features/admin/roles/i18n'
import directoryMessages from '@/features/departments/i18n'
import guestsMessages from '@/features/guests/i18n'
import adminMessages from '@/features/admin/i18n'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: { value: AppLocale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]

/** The browser's preferred language, mapped onto what we ship. */
export function detectLocale(languages: readonly string[] = typeof navigator !== 'undefined' ? navigator.languages : []): AppLocale {
  for (const lang of languages) {
    const l = lang.toLowerCase()
    if (l.startsWith('zh')) return 'zh-CN'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: detectLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
})

// Features that keep their own strings (see features/files/i18n.ts).
for (const messages of [filesMessages, profileMessages, accountMessages, fieldErrorMessages, callsMessages, mobileMessages, rolesMessages, directoryMessages, guestsMessages, adminMessages]) {
  for (const [locale, m] of Object.entries(messages)) i18n.global.mergeLocaleMessage(locale, m)
}
