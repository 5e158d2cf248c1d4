import { http } from '@/api/http'
import type {
  Conversation, ConversationDetail, ConversationPage, GroupPermissions, JoinRequest, Member, MemberPage, MembersAdded,
  MemberSettings, PermissionsUpdate, Role,
} from '@/api/types'

export const conversationsApi = {
  list: (cursor?: string | null, limit = 100, includeArchived = true) =>
    http.get<ConversationPage>('/conversations', { cursor: cursor ?? undefined, limit, include_archived: includeArchived }),
  settings: (id: string, body: Partial<MemberSettings>) => http.patch<MemberSettings>(`/conversations/${id}/settings`, body),
  get: (id: string) => http.get<ConversationDetail>(`/conversations/${id}`),
  createDirect: (user_id: string) => http.post<ConversationDetail>('/conversations', { type: 'direct', user_id }),
  createGroup: (name: string, member_ids: string[]) =>
    http.post<ConversationDetail>('/conversations', { type: 'group', name, member_ids }),
  update: (id: string, body: Partial<Pick<Conversation, 'name' | 'topic' | 'announcement' | 'admins_only'>>) =>
    http.patch<Conversation>(`/conversations/${id}`, body),
  members: (id: string, after?: string | null, limit = 200) =>
    http.get<MemberPage>(`/conversations/${id}/members`, { after: after ?? undefined, limit }),
  addMembers: (id: string, user_ids: string[]) => http.post<MembersAdded>(`/conversations/${id}/members`, { user_ids }),
  removeMembers: (id: string, user_ids: string[]) => http.delete<unknown>(`/conversations/${id}/members`, { user_ids }),
  setRole: (id: string, userId: string, role: Role) =>
    http.put<unknown>(`/conversations/${id}/members/${userId}/role`, { role }),
  leave: (id: string) => http.post<void>(`/conversations/${id}/leave`),
  permissions: (id: string) => http.get<GroupPermissions>(`/conversations/${id}/permissions`),
  updatePermissions: (id: string, body: PermissionsUpdate) =>
    http.patch<GroupPermissions>(`/conversations/${id}/permissions`, body),
  /** Mute a member until `until` (ISO time); null unmutes. */
  mute: (id: string, userId: string, until: string | null) =>
    http.put<Member>(`/conversations/${id}/members/${userId}/mute`, { until }),
  joinRequests: (id: string) => http.get<JoinRequest[]>(`/conversations/${id}/join-requests`),
  decideJoin: (id: string, userId: string, approve: boolean) =>
    http.post<void>(`/conversations/${id}/join-requests/${userId}/${approve ? 'approve' : 'reject'}`),
}
