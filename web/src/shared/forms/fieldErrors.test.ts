import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { ApiError } from '@/api/http'
import messages from './i18n'
import { issueMessage, issuesOf, placeIssues } from './fieldErrors'

// The body the server sends for a setup form with several mistakes (tests/core/test_field_errors.py).
const invalid = new ApiError(422, 'invalid_request', 'The request does not match the schema.', {
  code: 'invalid_request',
  errors: [
    { field: 'organization_name', code: 'too_short', min_length: 1, loc: ['body', 'organization_name'], msg: 'String should have at least 1 character', type: 'string_too_short' },
    { field: 'username', code: 'invalid_format', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', loc: ['body', 'username'], msg: '…', type: 'string_pattern_mismatch' },
    { field: 'password', code: 'too_short', min_length: 8, loc: ['body', 'password'], msg: '…', type: 'string_too_short' },
    { field: 'display_name', code: 'too_long', max_length: 100, loc: ['body', 'display_name'], msg: '…', type: 'string_too_long' },
    { field: 'colour', code: 'unknown_field', loc: ['body', 'colour'], msg: '…', type: 'extra_forbidden' },
    { field: null, code: 'required', loc: ['body'], msg: '…', type: 'missing' },
  ],
})

function translator(locale: 'en' | 'zh-CN') {
  const i18n = createI18n({ legacy: false, locale, messages })
  const { t, te } = i18n.global
  return (issue: Parameters<typeof issueMessage>[0]) => issueMessage(issue, (k, p) => t(k, p), (k) => te(k))
}

describe('field errors from the server', () => {
  it('reads each field, code and limit', () => {
    const issues = issuesOf(invalid)
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['organization_name', 'too_short'],
      ['username', 'invalid_format'],
      ['password', 'too_short'],
      ['display_name', 'too_long'],
      ['colour', 'unknown_field'],
      [null, 'required'],
    ])
    expect(issues[2].params).toEqual({ min_length: 8 })
  })

  it('puts issues next to the form fields and keeps the rest for the form', () => {
    const { byField, rest } = placeIssues(issuesOf(invalid), ['organization_name', 'username', 'password', 'display_name'])
    expect(Object.keys(byField)).toEqual(['organization_name', 'username', 'password', 'display_name'])
    expect(rest.map((i) => i.code)).toEqual(['unknown_field', 'required'])
  })

  it('says it in Chinese and in English', () => {
    const zh = translator('zh-CN')
    const en = translator('en')
    const [org, username, password, name] = issuesOf(invalid)
    expect(zh(org)).toBe('请填写此项') // an empty required text, not "at least 1 character"
    expect(zh(username)).toBe('只能使用字母、数字、“.”、“_”和“-”，并以字母或数字开头')
    expect(zh(password)).toBe('至少 8 个字符')
    expect(zh(name)).toBe('最多 100 个字符')
    expect(en(password)).toBe('At least 8 characters')
    expect(en(username)).toMatch(/^Letters, digits/)
    expect(en({ field: 'x', code: 'something_new', params: {} })).toBe('Not valid')
  })

  it('maps problems about one field onto that field', () => {
    const weak = new ApiError(422, 'weak_password', 'Password is too easy to guess.', { code: 'weak_password', reason: 'common' })
    const taken = new ApiError(409, 'user_exists', 'That username or email is already taken.', { code: 'user_exists' })
    const fields = { weak_password: 'password', user_exists: 'username' }
    expect(issuesOf(weak, fields)).toEqual([{ field: 'password', code: 'common', params: {} }])
    expect(translator('zh-CN')(issuesOf(taken, fields)[0])).toBe('该用户名或邮箱已被使用')
    // Not about a field of this form: nothing to place.
    expect(issuesOf(taken)).toEqual([])
    expect(issuesOf(new Error('offline'), fields)).toEqual([])
  })
})

describe('field error translations', () => {
  it('have the same keys in both languages', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(messages['zh-CN']).sort()).toEqual(keys(messages.en).sort())
  })
})
