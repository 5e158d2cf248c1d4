import { nextTick, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormItemRule } from 'element-plus'
import { ApiError } from '@/api/http'
import { issueMessage, issuesOf, placeIssues, type CodeFields, type FieldIssue } from './fieldErrors'

/** A form's server-side errors: `errors[field]` goes to its `<el-form-item :error>`, and
 * `general` holds what belongs to no field. `rule(check)` turns a client-side check into an
 * Element Plus rule with the same wording, so a rule reads the same before and after
 * submitting. */
export function useFieldErrors<F extends string>(fields: readonly F[], codeFields: CodeFields = {}) {
  const { t, te } = useI18n()
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, '']))) as Record<F, string>
  const general = ref('')
  const message = (issue: FieldIssue) => issueMessage(issue, t, te)

  function clear() {
    for (const f of fields) errors[f] = ''
    general.value = ''
  }

  /** Show a failed submit: next to its fields, or as one line for the form. */
  async function show(err: unknown) {
    clear()
    await nextTick() // the same message again must still reach the form item
    const { byField, rest } = placeIssues(issuesOf(err, codeFields), fields)
    for (const [field, issue] of Object.entries(byField)) errors[field as F] = message(issue)
    if (rest.length) general.value = rest.map(message).join(' ')
    else if (!Object.keys(byField).length) general.value = t('common.error', { detail: err instanceof ApiError ? err.message : String(err) })
  }

  function rule(check: (value: string) => FieldIssue | null, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
    return {
      trigger,
      validator: (_rule, value, callback) => {
        const issue = check(String(value ?? ''))
        callback(issue ? new Error(message(issue)) : undefined)
      },
    }
  }

  return { errors, general, clear, show, rule, message }
}
