import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { User, UserPage } from '@/api/types'
import { ApiError } from '@/api/http'
import { usersApi } from './api'

/** A cache of people by id, filled on demand, plus who is online. */
export const useUsersStore = defineStore('users', () => {
  const byId = ref<Record<string, User>>({})
  const online = ref<Record<string, boolean>>({})
  /** False while the connection is lost: presence events are missed, so `online` may be
   * stale and is shown as unknown until it is asked again (realtime store). */
  const presenceKnown = ref(true)
  const inflight = new Map<string, Promise<User | null>>()

  function put(user: User) {
    byId.value[user.id] = user
  }

  function ensure(id: string | null | undefined): Promise<User | null> {
    if (!id) return Promise.resolve(null)
    const known = byId.value[id]
    if (known) return Promise.resolve(known)
    let p = inflight.get(id)
    if (!p) {
      p = usersApi
        .get(id)
        .then((u) => {
          put(u)
          return u
        })
        .catch(() => null)
        .finally(() => inflight.delete(id))
      inflight.set(id, p)
    }
    return p
  }

  function ensureMany(ids: Iterable<string | null | undefined>) {
    for (const id of new Set(ids)) if (id && !byId.value[id]) void ensure(id)
  }

  /** A guest from outside the organisation (the “External” badge). */
  function isExternal(id: string | null | undefined): boolean {
    return !!id && !!byId.value[id]?.external
  }

  function name(id: string | null | undefined): string {
    if (!id) return ''
    const u = byId.value[id]
    if (!u) {
      void ensure(id)
      return '…'
    }
    return u.display_name || u.username
  }

  /** Lower-case username -> display name of these people, for showing @mentions by name
   * (mentionTokens.ts); people not loaded yet are fetched and show by username meanwhile. */
  function mentionNames(ids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>()
    for (const id of ids) {
      const u = byId.value[id]
      if (u) out.set(u.username.toLowerCase(), u.display_name || u.username)
      else void ensure(id)
    }
    return out
  }

  async function search(q: string, includeInactive = false) {
    let page: UserPage
    try {
      page = await usersApi.search(q, null, 100, includeInactive)
    } catch (err) {
      // No directory (guests): the people already known, those of their conversations.
      if (err instanceof ApiError && err.code === 'permission_required') return knownMatching(q)
      throw err
    }
    page.items.forEach(put)
    return page.items
  }

  function knownMatching(q: string): User[] {
    const needle = q.trim().toLowerCase()
    return Object.values(byId.value)
      .filter((u) => u.is_active && (!needle || u.username.includes(needle) || u.display_name.toLowerCase().includes(needle)))
      .sort((a, b) => a.username.localeCompare(b.username))
      .slice(0, 100)
  }

  async function refreshPresence(ids: string[]) {
    const unique = [...new Set(ids)].filter(Boolean)
    if (!unique.length) return
    const res = await usersApi.presence(unique.slice(0, 1000))
    const set = new Set(res.online)
    for (const id of unique) online.value[id] = set.has(id)
  }

  /** What to show for a person: unknown while the connection is lost, undefined when
   * never asked. */
  function presenceOf(id: string | null | undefined): 'online' | 'offline' | 'unknown' | undefined {
    if (!id || online.value[id] === undefined) return undefined
    if (!presenceKnown.value) return 'unknown'
    return online.value[id] ? 'online' : 'offline'
  }

  function setPresence(id: string, status: string) {
    online.value[id] = status === 'online'
  }

  function clear() {
    byId.value = {}
    online.value = {}
    presenceKnown.value = true
  }

  return { byId, online, presenceKnown, presenceOf, put, ensure, ensureMany, name, isExternal, mentionNames, search, refreshPresence, setPresence, clear }
})
