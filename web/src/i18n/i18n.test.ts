import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'
import { detectLocale } from '.'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('translations', () => {
  it('have the same keys in both languages', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort())
  })

  it.each([['en'], ['zh-CN']])('all compile in %s (no stray @ or | in a message)', (locale) => {
    const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } })
    for (const key of keys(en)) {
      const out = i18n.global.t(key, { n: 1, name: 'x', org: 'x', s: 1, names: 'x', detail: 'x', at: 'x' })
      expect(out, key).not.toBe(key)
    }
  })

  it('follow the browser language', () => {
    expect(detectLocale(['zh-TW', 'en'])).toBe('zh-CN')
    expect(detectLocale(['en-GB'])).toBe('en')
    expect(detectLocale(['fr-FR'])).toBe('en')
  })
})
