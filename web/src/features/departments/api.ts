import { http } from '@/api/http'
import type {
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  DirectoryCard,
  DirectoryPage,
  UserOrg,
  UserOrgUpdate,
} from '@/api/types'

export const departmentsApi = {
  tree: () => http.get<Department[]>('/departments'),
  create: (body: DepartmentCreate) => http.post<Department>('/departments', body),
  update: (id: string, body: DepartmentUpdate) => http.patch<Department>(`/departments/${id}`, body),
  remove: (id: string, moveTo?: string) =>
    http.delete<void>(`/departments/${id}${moveTo ? `?move_to=${encodeURIComponent(moveTo)}` : ''}`),
  members: (id: string, after?: string | null) =>
    http.get<DirectoryPage>(`/departments/${id}/members`, { after: after ?? undefined, limit: 100 }),
  createGroup: (id: string, includeSubtree: boolean) =>
    http.post<{ conversation_id: string }>(`/departments/${id}/groups`, { include_subtree: includeSubtree }),
  search: (q: string, after?: string | null) =>
    http.get<DirectoryPage>('/directory', { q, after: after ?? undefined, limit: 50 }),
  card: (userId: string) => http.get<DirectoryCard>(`/directory/users/${userId}`),
  userOrg: (userId: string) => http.get<UserOrg>(`/users/${userId}/org`),
  setUserOrg: (userId: string, body: UserOrgUpdate) => http.put<UserOrg>(`/users/${userId}/org`, body),
}
