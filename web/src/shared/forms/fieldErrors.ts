// Validation errors shown next to their fields, in the user's language. The server's 422
// `invalid_request` lists `errors: [{field, code, min_length?, ...}]`; a few other problems
// concern one field of a form (a weak password, a taken username). The client's own checks
// (see features/users/rules.ts) produce the same issues, so both read the same.
import { ApiError } from '@/api/http'

/** One invalid field: a stable code and the limits of the rule it broke. */
export interface FieldIssue {
  field: string | null
  code: string
  params: Record<string, string | number>
}

/** Problem codes that concern one field of a form: `{ weak_password: 'password' }`. */
export type CodeFields = Record<string, string>

type Translate = (key: string, params: Record<string, unknown>) => string
type Exists = (key: string) => boolean

const PARAMS = ['min_length', 'max_length', 'pattern', 'expected', 'ge', 'gt', 'le', 'lt'] as const

function params(raw: Record<string, unknown>): FieldIssue['params'] {
  const out: FieldIssue['params'] = {}
  for (const k of PARAMS) {
    const v = raw[k]
    if (typeof v === 'string' || typeof v === 'number') out[k] = v
  }
  return out
}

/** The field issues an API error carries (none for errors that are not about fields). */
export function issuesOf(err: unknown, codeFields: CodeFields = {}): FieldIssue[] {
  if (!(err instanceof ApiError)) return []
  const errors = err.body.errors
  if (err.code === 'invalid_request' && Array.isArray(errors)) {
    return errors.map((e: Record<string, unknown>) => ({
      field: typeof e.field === 'string' ? e.field : null,
      code: typeof e.code === 'string' ? e.code : 'invalid',
      params: params(e),
    }))
  }
  const field = codeFields[err.code]
  if (!field) return []
  // A weak password says why (`reason`: too_short, too_long, common, too_guessable) and the limit.
  const reason = err.code === 'weak_password' ? err.body.reason : undefined
  return [{ field, code: typeof reason === 'string' ? reason : err.code, params: params(err.body) }]
}

/** The issue in words: the field's own wording when it has one (the username's format),
 * else the code's; an empty required text reads "required", not "at least 1 character". */
export function issueMessage(issue: FieldIssue, t: Translate, te: Exists): string {
  const p = issue.params
  const code = issue.code === 'too_short' && Number(p.min_length ?? 2) <= 1 ? 'required' : issue.code
  const own = `fieldErrors.byField.${issue.field}.${code}`
  const key = issue.field && te(own) ? own : te(`fieldErrors.${code}`) ? `fieldErrors.${code}` : 'fieldErrors.invalid'
  return t(key, {
    min: p.min_length ?? p.ge ?? p.gt ?? '',
    max: p.max_length ?? p.le ?? p.lt ?? '',
    expected: p.expected ?? '',
  })
}

/** Issues split into those of the form's fields (first one per field) and the rest. */
export function placeIssues(issues: FieldIssue[], fields: readonly string[]): { byField: Record<string, FieldIssue>; rest: FieldIssue[] } {
  const byField: Record<string, FieldIssue> = {}
  const rest: FieldIssue[] = []
  for (const issue of issues) {
    if (issue.field && fields.includes(issue.field)) byField[issue.field] ??= issue
    else rest.push(issue)
  }
  return { byField, rest }
}
