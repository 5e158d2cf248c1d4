import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import messages from './i18n'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('files translations', () => {
  it('have the same keys in both languages', () => {
    expect(keys(messages['zh-CN']).sort()).toEqual(keys(messages.en).sort())
  })

  it.each([['en'], ['zh-CN']])('all compile in %s', (locale) => {
    const i18n = createI18n({ legacy: false, locale, messages })
    for (const key of keys(messages.en)) {
      const out = i18n.global.t(key, { n: 1, name: 'x', s: '0:01', total: 2, detail: 'x', at: 'x' })
      expect(out, key).not.toBe(key)
      expect(out, key).not.toMatch(/[{}]/)
    }
  })
})
