import { http } from '@/api/http'
import type { LoginResponse, SessionInfo, SetupResponse, SetupState } from '@/api/types'

export const authApi = {
  setupState: () => http.get<SetupState>('/setup', undefined, { anonymous: true }),
  setup: (body: { organization_name: string; username: string; password: string; display_name: string }) =>
    http.post<SetupResponse>('/setup', body, { anonymous: true }),
  login: (login: string, password: string) =>
    http.post<LoginResponse>('/auth/login', { login, password }, { anonymous: true }),
  // Sent after the client has ended its session (http.endSession), hence `anonymous`.
  logout: () => http.post<void>('/auth/logout', undefined, { anonymous: true }),
  sessions: () => http.get<SessionInfo[]>('/auth/sessions'),
  revokeSession: (id: string) => http.delete<void>(`/auth/sessions/${id}`),
  changePassword: (current_password: string, new_password: string) =>
    http.post<void>('/auth/password', { current_password, new_password }),
}
