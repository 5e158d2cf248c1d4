import { http } from '@/api/http'
import type { components } from '@/api/schema'
import type { LoginResponse } from '@/api/types'

type S = components['schemas']
export type Invitation = S['InvitationRead']
export type InvitationCreated = S['InvitationCreated']
export type InvitationCreate = S['InvitationCreate']
export type InvitationPage = S['InvitationPage']
export type InvitationPreview = S['InvitationPreview']
export type InvitationAccept = S['InvitationAccept']

const path = (token: string) => `/invite/${encodeURIComponent(token)}`

export const guestsApi = {
  preview: (token: string) => http.get<InvitationPreview>(path(token), undefined, { anonymous: true }),
  accept: (token: string, body: InvitationAccept) => http.post<LoginResponse>(path(token), body, { anonymous: true }),
  list: (before?: string | null) => http.get<InvitationPage>('/invitations', { limit: 100, ...(before ? { before } : {}) }),
  create: (body: InvitationCreate) => http.post<InvitationCreated>('/invitations', body),
  revoke: (id: string) => http.post<Invitation>(`/invitations/${id}/revoke`),
}
