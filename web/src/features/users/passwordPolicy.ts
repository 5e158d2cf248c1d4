// The organisation's password rules (GET /auth/password-policy), read once per page load:
// the forms say the real minimum and check it before sending. Until it has arrived (or if
// it cannot be read) the floor of the setting stands in; the server has the last word.
import { ref } from 'vue'
import { http } from '@/api/http'
import type { components } from '@/api/schema'
import { PASSWORD_LENGTH } from './rules'

export type PasswordPolicy = components['schemas']['PasswordPolicyRead']

const policy = ref<PasswordPolicy>({ min_length: PASSWORD_LENGTH.min, max_length: PASSWORD_LENGTH.max, min_score: 0, history: 0, expiry_days: 0 })
let loading: Promise<void> | null = null

export function usePasswordPolicy() {
  loading ??= http
    .get<PasswordPolicy>('/auth/password-policy', undefined, { anonymous: true })
    .then((p) => {
      policy.value = p
    })
    .catch(() => {
      loading = null // try again next time a form opens
    })
  return policy
}
