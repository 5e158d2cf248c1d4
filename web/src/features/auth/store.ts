import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Account, Me, Permission } from '@/api/types'
import { beginSession, endSession } from '@/api/http'
import { authApi } from './api'
import { usersApi } from '@/features/users/api'
import { useUsersStore } from '@/features/users/store'
import { useBrandingStore } from '@/features/org/store'
import { useOfflineStore } from '@/features/offline/store'
import { isUnreachable } from '@/features/offline/snapshot'

export type AuthStatus = 'unknown' | 'needs-setup' | 'anonymous' | 'authenticated'

export const useAuthStore = defineStore('auth', () => {
  const status = ref<AuthStatus>('unknown')
  const me = ref<Account | Me | null>(null)
  const organizationName = ref<string>('Parley')
  /** Set when the server turned us away mid-session; the login page explains why. */
  const expired = ref(false)
  /** Set after a deliberate sign-out; the login page says so, calmly. */
  const signedOut = ref(false)
  const myId = computed(() => me.value?.id ?? '')
  /** An administrator set the password: the server serves nothing else until it is changed. */
  const mustChangePassword = computed(() => !!me.value?.must_change_password)
  /** What this account may do (GET /users/me), kept current by `permissions.changed` frames:
   * the client offers only what the server will accept. */
  const permissions = ref<Permission[]>([])
  const can = (p: Permission) => permissions.value.includes(p)

  function setMe(user: Account | Me) {
    beginSession()
    me.value = user
    if ('permissions' in user) permissions.value = user.permissions
    else void refreshPermissions()
    useUsersStore().put(user)
    status.value = 'authenticated'
    expired.value = false
    signedOut.value = false
  }

  /** Decide where the app starts: setup, login or the chat. */
  async function bootstrap(): Promise<void> {
    void useBrandingStore().load()
    let state: Awaited<ReturnType<typeof authApi.setupState>>
    try {
      state = await authApi.setupState()
    } catch (err) {
      // No server: open on this device's saved copy, when there is one (read-only).
      if (isUnreachable(err) && (await useOfflineStore().resume())) return
      throw err
    }
    if (state.organization_name) organizationName.value = state.organization_name
    if (state.needs_setup) {
      status.value = 'needs-setup'
      return
    }
    try {
      setMe(await usersApi.me())
    } catch {
      status.value = 'anonymous'
    }
  }

  async function login(loginName: string, password: string) {
    const res = await authApi.login(loginName, password)
    setMe(res.user)
  }

  async function setup(body: { organization_name: string; username: string; password: string; display_name: string }) {
    const res = await authApi.setup(body)
    organizationName.value = res.organization_name
    setMe(res.login.user)
    void useBrandingStore().load()
  }

  /** Sign out on purpose: stop everything that talks to the server first (the main layout
   * closes the socket as soon as the status changes), then end the session on the server,
   * so nothing fires afterwards and nothing is mistaken for an expired session. */
  async function logout() {
    endSession()
    signedOut.value = true
    forget()
    await authApi.logout().catch(() => undefined)
  }

  /** The session is gone (expired, revoked, logged out elsewhere). Drafts stay in storage.
   * An expiry noticed after a deliberate sign-out (a late answer) changes nothing. */
  function forget(isExpiry = false) {
    if (isExpiry && status.value !== 'authenticated') return
    void useOfflineStore().clear() // nothing of the session stays readable on this device
    me.value = null
    status.value = 'anonymous'
    expired.value = isExpiry
  }

  async function refreshPermissions() {
    try {
      permissions.value = (await usersApi.me()).permissions
    } catch {
      // signed out meanwhile, or offline: the socket's next frame brings them
    }
  }

  /** The password is the user's own now. */
  function passwordChanged() {
    if (me.value) me.value = { ...me.value, must_change_password: false }
  }

  /** The server refused a call until the password is changed (another tab, a reset). */
  function requirePasswordChange() {
    if (me.value) me.value = { ...me.value, must_change_password: true }
  }

  return {
    status, me, myId, organizationName, expired, signedOut, mustChangePassword, bootstrap, login, setup, logout,
    forget, setMe, passwordChanged, requirePasswordChange, permissions, can, refreshPermissions,
  }
})
