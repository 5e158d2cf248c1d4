import { computed, ref, watch } from 'vue'
import { useAuthStore } from '@/features/auth/store'
import { usersApi } from '@/features/users/api'
import type { Me, Permission } from './api'

/** Any of these opens the admin console (its link shows in the rail and on "Me"). */
export const ADMIN_PERMISSIONS: readonly Permission[] = [
  'manage_users', 'manage_roles', 'manage_departments', 'manage_groups', 'manage_settings', 'view_audit',
]

export function opensConsole(permissions: readonly string[]): boolean {
  return permissions.some((p) => (ADMIN_PERMISSIONS as readonly string[]).includes(p))
}

// The signed-in account's permissions. A sign-in answers with the account without them, so
// they are read from GET /users/me once per account (and again on `refreshPermissions`).
const permissions = ref<Permission[]>([])
let loadedFor = ''
let loading: Promise<void> | null = null

export function refreshPermissions(): Promise<void> {
  const auth = useAuthStore()
  const id = auth.myId
  if (!id) {
    permissions.value = []
    return Promise.resolve()
  }
  if (loadedFor === id && loading) return loading
  loadedFor = id
  const given = (auth.me as Partial<Me> | null)?.permissions
  loading = given
    ? Promise.resolve(void (permissions.value = given))
    : usersApi.me().then((me) => void (permissions.value = (me as Me).permissions ?? []))
  return loading
}

/** The permissions as last read (for route guards: await `refreshPermissions` first). */
export function heldPermissions(): Permission[] {
  return permissions.value
}

export function useAdminAccess() {
  const auth = useAuthStore()
  watch(() => auth.myId, () => void refreshPermissions().catch(() => {}), { immediate: true })
  return {
    permissions,
    has: (p: Permission) => permissions.value.includes(p),
    canOpen: computed(() => opensConsole(permissions.value)),
  }
}
