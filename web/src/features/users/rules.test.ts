import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import messages from './accountsI18n'
import { checkEmail, checkName, checkPassword, checkSame, checkUsername } from './rules'

// The same cases the server refuses (tests/core/test_field_errors.py, security/passwords.py):
// the browser says so before submitting, with the code the server would send.
describe('account rules', () => {
  it('usernames: 2 to 64 letters, digits, . _ -, starting with a letter or digit', () => {
    const check = checkUsername()
    expect(check('zhang.san')).toBeNull()
    expect(check(' bob ')).toBeNull() // trimmed, as submitted
    expect(check('')?.code).toBe('required')
    expect(check('a')).toEqual({ field: 'username', code: 'too_short', params: { min_length: 2 } })
    expect(check('a'.repeat(65))?.code).toBe('too_long')
    expect(check('张三')?.code).toBe('invalid_format')
    expect(check('a b')?.code).toBe('invalid_format')
    expect(check('.bob')?.code).toBe('invalid_format')
  })

  it("passwords: the floor of the server's minimum to 256 characters; strength is the server's call", () => {
    const check = checkPassword()
    expect(check('correct-horse-1')).toBeNull()
    expect(check('abc12')).toEqual({ field: 'password', code: 'too_short', params: { min_length: 6 } })
    expect(check('x'.repeat(257))?.code).toBe('too_long')
    // The organisation's minimum, read when the check runs (it arrives after the form opens).
    let min = 6
    const policed = checkPassword('new_password', () => min)
    expect(policed('violet-ha')).toBeNull()
    min = 12
    expect(policed('violet-ha')).toEqual({ field: 'new_password', code: 'too_short', params: { min_length: 12 } })
  })

  it('names, e-mail and the repeated password', () => {
    expect(checkName('display_name')('  ')?.code).toBe('required')
    expect(checkName('display_name')('名'.repeat(100))).toBeNull()
    expect(checkName('display_name')('名'.repeat(101))?.code).toBe('too_long')
    expect(checkName('display_name')('😀'.repeat(100))).toBeNull() // code points, as the server counts
    expect(checkEmail()('')).toBeNull()
    expect(checkEmail()('li@example.com')).toBeNull()
    expect(checkEmail()('li@example')?.code).toBe('invalid_email')
    let first = 'secret-one'
    expect(checkSame('confirm', () => first)('secret-one')).toBeNull()
    first = 'secret-two'
    expect(checkSame('confirm', () => first)('secret-one')?.code).toBe('mismatch')
  })
})

describe('account translations', () => {
  it('have the same keys in both languages and all compile', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(messages['zh-CN']).sort()).toEqual(keys(messages.en).sort())
    for (const locale of ['en', 'zh-CN']) {
      const i18n = createI18n({ legacy: false, locale, messages })
      for (const key of keys(messages.en)) {
        const out = i18n.global.t(key, { name: 'x' })
        expect(out, key).not.toBe(key)
        expect(out, key).not.toMatch(/[{}]/)
      }
    }
  })
})
