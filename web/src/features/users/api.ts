import { http } from '@/api/http'
import type { ProfileCard, ProfileFields, User, UserPage } from '@/api/types'

export const usersApi = {
  me: () => http.get<User>('/users/me', undefined, { anonymous: true }),
  updateMe: (body: { display_name?: string; title?: string; status_text?: string; phone?: string }) =>
    http.patch<User>('/users/me', body),
  get: (id: string) => http.get<User>(`/users/${id}`),
  search: (q: string, after?: string | null, limit = 50) =>
    http.get<UserPage>('/users', { q, after: after ?? undefined, limit }),
  create: (body: { username: string; password: string; display_name: string; title?: string }) =>
    http.post<User>('/users', body),
  presence: (user_ids: string[]) => http.get<{ online: string[] }>('/presence', { user_ids }),
  setAvatar: (file_id: string) => http.put<User>('/users/me/avatar', { file_id }),
  removeAvatar: () => http.delete<User>('/users/me/avatar'),
  card: (id: string) => http.get<ProfileCard>(`/users/${id}/card`),
  profileFields: () => http.get<ProfileFields>('/org/profile-fields'),
  setProfileFields: (fields: ProfileFields['fields']) => http.put<ProfileFields>('/org/profile-fields', { fields }),
}
