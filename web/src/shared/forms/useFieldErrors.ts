import { nextTick, reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInstance, FormItemRule } from 'element-plus'
import { ApiError } from '@/api/http'
import { issueMessage, issuesOf, placeIssues, type CodeFields, type FieldIssue } from './fieldErrors'

/** A form's server-side errors: `errors[field]` goes to its `<el-form-item :error>`, and
 * `general` holds what belongs to no field. `rule(check)` turns a client-side check into an
 * Element Plus rule with the same wording, so a rule reads the same before and after
 * submitting. `submit(action)` is the flow every form shares: it checks the `<el-form>` in
 * `formRef` and sets `busy` (for its button) while the action runs. */
export function useFieldErrors<F extends string>(
  fields: readonly F[],
  codeFields: CodeFields = {},
  formRef: Ref<FormInstance | undefined> = ref(),
) {
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

  const busy = ref(false)

  /** Clear old errors, check the fields, then run `action` once (busy meanwhile) and show
   * what the server refused. */
  async function submit(action: () => Promise<unknown>) {
    clear()
    if (!(await formRef.value?.validate().catch(() => false))) return
    busy.value = true
    try {
      await action()
    } catch (err) {
      await show(err)
    } finally {
      busy.value = false
    }
  }

  return { errors, general, clear, show, rule, message, busy, submit }
}
