import type { InvitationCreate } from '@/features/guests/api'

const DAY_MS = 24 * 3600 * 1000

export interface InvitationForm {
  note: string
  validDays: number
  maxUses: number | null
  groupIds: string[]
  accountDays: number | null
}

/** The request for a new link from the form: days become moments from `now`. */
export function invitationRequest(form: InvitationForm, now = Date.now()): InvitationCreate {
  return {
    note: form.note.trim(),
    expires_at: new Date(now + form.validDays * DAY_MS).toISOString(),
    max_uses: form.maxUses || null,
    group_ids: form.groupIds,
    account_expires_at: form.accountDays ? new Date(now + form.accountDays * DAY_MS).toISOString() : null,
  }
}

/** The full link to hand out, from the path the server answers (`/invite/<token>`). */
export function inviteLink(path: string, origin = window.location.origin): string {
  return origin + path
}
