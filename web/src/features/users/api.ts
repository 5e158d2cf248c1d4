import { http } from '@/api/http'
import type { Account, Me, ProfileCard, ProfileFields, User, UserCreate, UserPage } from '@/api/types'

export const usersApi = {
  me: () => http.get<Me>('/users/me', undefined, { anonymous: true }),
  updateMe: (body: { display_name?: string; title?: string; status_text?: string; phone?: string }) =>
    http.patch<Account>('/users/me', body),
  get: (id: string) => http.get<User>(`/users/${id}`),
  search: (q: string, after?: string | null, limit = 50, includeInactive = false) =>
    http.get<UserPage>('/users', { q, after: after ?? undefined, limit, include_inactive: includeInactive || undefined }),
  create: (body: UserCreate) => http.post<Account>('/users', body),
  // Administrators: the user's sessions end; by default they must choose a password at next sign-in.
  disable: (id: string) => http.post<User>(`/users/${id}/disable`),
  enable: (id: string) => http.post<User>(`/users/${id}/enable`),
  resetPassword: (id: string, new_password: string, must_change_password: boolean) =>
    http.post<Account>(`/users/${id}/password`, { new_password, must_change_password }),
  presence: (user_ids: string[]) => http.get<{ online: string[] }>('/presence', { user_ids }),
  setAvatar: (file_id: string) => http.put<User>('/users/me/avatar', { file_id }),
  removeAvatar: () => http.delete<User>('/users/me/avatar'),
  card: (id: string) => http.get<ProfileCard>(`/users/${id}/card`),
  profileFields: () => http.get<ProfileFields>('/org/profile-fields'),
  setProfileFields: (fields: ProfileFields['fields']) => http.put<ProfileFields>('/org/profile-fields', { fields }),
}
