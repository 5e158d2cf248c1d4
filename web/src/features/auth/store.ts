import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { User } from '@/api/types'
import { authApi } from './api'
import { usersApi } from '@/features/users/api'
import { useUsersStore } from '@/features/users/store'
import { useBrandingStore } from '@/features/org/store'
import { useOfflineStore } from '@/features/offline/store'
import { isUnreachable } from '@/features/offline/snapshot'

export type AuthStatus = 'unknown' | 'needs-setup' | 'anonymous' | 'authenticated'

export const useAuthStore = defineStore('auth', () => {
  const status = ref<AuthStatus>('unknown')
  const me = ref<User | null>(null)
  const organizationName = ref<string>('Parley')
  /** Set when the server turned us away mid-session; the login page explains why. */
  const expired = ref(false)
  const myId = computed(() => me.value?.id ?? '')

  function setMe(user: User) {
    me.value = user
    useUsersStore().put(user)
    status.value = 'authenticated'
    expired.value = false
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

  async function logout() {
    try {
      await authApi.logout()
    } finally {
      forget()
    }
  }

  /** The session is gone (expired, revoked, logged out elsewhere). Drafts stay in storage. */
  function forget(isExpiry = false) {
    void useOfflineStore().clear() // nothing of the session stays readable on this device
    me.value = null
    status.value = 'anonymous'
    expired.value = isExpiry
  }

  return { status, me, myId, organizationName, expired, bootstrap, login, setup, logout, forget, setMe }
})
