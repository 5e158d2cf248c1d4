import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { User } from '@/api/types'
import { usersApi } from './api'

/** A cache of people by id, filled on demand, plus who is online. */
export const useUsersStore = defineStore('users', () => {
  const byId = ref<Record<string, User>>({})
  const online = ref<Record<string, boolean>>({})
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

  function name(id: string | null | undefined): string {
    if (!id) return ''
    const u = byId.value[id]
    if (!u) {
      void ensure(id)
      return '…'
    }
    return u.display_name || u.username
  }

  async function search(q: string, includeInactive = false) {
    const page = await usersApi.search(q, null, 100, includeInactive)
    page.items.forEach(put)
    return page.items
  }

  async function refreshPresence(ids: string[]) {
    const unique = [...new Set(ids)].filter(Boolean)
    if (!unique.length) return
    const res = await usersApi.presence(unique.slice(0, 1000))
    const set = new Set(res.online)
    for (const id of unique) online.value[id] = set.has(id)
  }

  function setPresence(id: string, status: string) {
    online.value[id] = status === 'online'
  }

  function clear() {
    byId.value = {}
    online.value = {}
  }

  return { byId, online, put, ensure, ensureMany, name, search, refreshPresence, setPresence, clear }
})
