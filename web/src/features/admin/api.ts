import { API, http } from '@/api/http'
import type { components } from '@/api/schema'

type S = components['schemas']
export type Permission = S['Permission']
export type Me = S['MeRead']
export type AdminUser = S['AdminUserRead']
export type AdminUserPage = S['AdminUserPage']
export type AdminUserUpdate = S['AdminUserUpdate']
export type ImportReport = S['ImportReport']
export type ImportRow = S['ImportRow']
export type ImportResult = S['ImportResult']
export type AdminGroup = S['GroupAdminRead']
export type AdminGroupPage = S['GroupAdminPage']
export type OrgSettings = S['OrgSettings']
export type OrgSettingsUpdate = S['OrgSettingsUpdate']
export type Dashboard = S['Dashboard']
export type UserStatus = 'all' | 'active' | 'disabled'

export interface UserFilters {
  q: string
  role: AdminUser['role'] | ''
  status: UserStatus
}

async function upload<T>(path: string, file: File, dryRun: boolean): Promise<T> {
  // Multipart: the shared client speaks JSON, so this one request goes through fetch.
  const form = new FormData()
  form.append('file', file)
  const res = await fetch(`${API}${path}?dry_run=${dryRun}`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  })
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new ImportRefused(res.status, body.code ?? 'error', body.detail ?? res.statusText, body)
  return body as T
}

export class ImportRefused extends Error {
  constructor(
    public status: number,
    public code: string,
    detail: string,
    public body: { report?: ImportReport } & Record<string, unknown>,
  ) {
    super(detail)
  }
}

export const adminApi = {
  users: (f: UserFilters, after?: string | null, limit = 50) =>
    http.get<AdminUserPage>('/admin/users', { q: f.q, role: f.role || undefined, status: f.status, after: after ?? undefined, limit }),
  user: (id: string) => http.get<AdminUser>(`/admin/users/${id}`),
  updateUser: (id: string, body: AdminUserUpdate) => http.patch<AdminUser>(`/admin/users/${id}`, body),
  /** What importing `file` would do; nothing is written. */
  checkImport: (file: File) => upload<ImportReport>('/admin/users/import', file, true),
  /** Create every account or none (ImportRefused with the report); passwords come once. */
  applyImport: (file: File) => upload<ImportResult>('/admin/users/import', file, false),
  groups: (q: string, before?: string | null, limit = 50) =>
    http.get<AdminGroupPage>('/admin/groups', { q, before: before ?? undefined, limit }),
  changeOwner: (id: string, user_id: string) => http.post<AdminGroup>(`/admin/groups/${id}/owner`, { user_id }),
  archive: (id: string, archived: boolean) => http.post<AdminGroup>(`/admin/groups/${id}/archive`, { archived }),
  settings: () => http.get<OrgSettings>('/admin/settings'),
  updateSettings: (body: OrgSettingsUpdate) => http.patch<OrgSettings>('/admin/settings', body),
  dashboard: () => http.get<Dashboard>('/admin/dashboard'),
}
