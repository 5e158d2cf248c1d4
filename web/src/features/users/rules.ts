// The server's account rules (users/schemas.py, security/passwords.py), checked in the
// browser before submitting; each check returns the issue the server would report.
import type { FieldIssue } from '@/shared/forms/fieldErrors'

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
export const USERNAME_LENGTH = { min: 2, max: 64 }
// The server's minimum is a setting (PARLEY_PASSWORD_MIN_LENGTH, 10 by default, never
// below 6), and only it can judge strength (zxcvbn, the common-password list): the
// browser checks the floor at once and shows the server's answer on the same field.
export const PASSWORD_LENGTH = { min: 6, max: 256 }
export const NAME_MAX = 100
// A practical shape check; the server's e-mail validation has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

type Check = (value: string) => FieldIssue | null

function issue(field: string, code: string, params: FieldIssue['params'] = {}): FieldIssue {
  return { field, code, params }
}

/** Lengths count code points, as the server does (an emoji is one character). */
function length(field: string, value: string, min: number, max: number): FieldIssue | null {
  const n = [...value].length
  if (!n) return issue(field, 'required')
  if (n < min) return issue(field, 'too_short', { min_length: min })
  if (n > max) return issue(field, 'too_long', { max_length: max })
  return null
}

export const checkUsername =
  (field = 'username'): Check =>
  (value) => {
    const v = value.trim()
    return length(field, v, USERNAME_LENGTH.min, USERNAME_LENGTH.max) ?? (USERNAME_PATTERN.test(v) ? null : issue(field, 'invalid_format'))
  }

/** `min`: the organisation's minimum (passwordPolicy.ts), read when the check runs. */
export const checkPassword =
  (field = 'password', min: () => number = () => PASSWORD_LENGTH.min): Check =>
  (value) =>
    length(field, value, Math.max(min(), PASSWORD_LENGTH.min), PASSWORD_LENGTH.max)

/** A required name (person, organisation) of at most `max` characters. */
export const checkName =
  (field: string, max = NAME_MAX): Check =>
  (value) =>
    length(field, value.trim(), 1, max)

/** An optional e-mail address. */
export const checkEmail =
  (field = 'email'): Check =>
  (value) =>
    !value.trim() || EMAIL.test(value.trim()) ? null : issue(field, 'invalid_email')

/** The second entry of a new password. */
export const checkSame =
  (field: string, other: () => string): Check =>
  (value) =>
    value === other() ? null : issue(field, 'mismatch')
