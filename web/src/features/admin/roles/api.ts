import { http } from '@/api/http'
import type { CustomRole, PermissionCatalogue, RoleCreate, RoleUpdate, UserRoles, UserRolesUpdate } from '@/api/types'

export const rolesApi = {
  catalogue: () => http.get<PermissionCatalogue>('/permissions'),
  list: () => http.get<CustomRole[]>('/roles'),
  create: (body: RoleCreate) => http.post<CustomRole>('/roles', body),
  update: (id: string, body: RoleUpdate) => http.patch<CustomRole>(`/roles/${id}`, body),
  remove: (id: string) => http.delete<void>(`/roles/${id}`),
  ofUser: (userId: string) => http.get<UserRoles>(`/users/${userId}/roles`),
  setForUser: (userId: string, body: UserRolesUpdate) => http.put<UserRoles>(`/users/${userId}/roles`, body),
}
