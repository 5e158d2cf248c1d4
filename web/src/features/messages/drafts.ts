import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useAuthStore } from '@/features/auth/store'
import { conversationsApi } from '@/features/conversations/api'

// Drafts live in local storage, per user and conversation, so they survive a reload and
// a session that expires mid-sentence; they are also saved to the server (debounced) so
// they follow the user to their other devices.
const PREFIX = 'parley.drafts.'
const SAVE_AFTER_MS = 800

export const useDraftsStore = defineStore('drafts', () => {
  const drafts = ref<Record<string, string>>({})
  /** The conversation whose composer is open: a draft from another device does not
   * overwrite what is being typed. */
  const editing = ref<string | null>(null)
  let owner = ''
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const saved: Record<string, string> = {}

  function key() {
    return PREFIX + useAuthStore().myId
  }

  function ensureLoaded() {
    const me = useAuthStore().myId
    if (owner === me) return
    owner = me
    try {
      drafts.value = JSON.parse(localStorage.getItem(key()) ?? '{}') as Record<string, string>
    } catch {
      drafts.value = {}
    }
  }

  function get(cid: string): string {
    ensureLoaded()
    return drafts.value[cid] ?? ''
  }

  function store(cid: string, text: string) {
    if (text.trim()) drafts.value[cid] = text
    else delete drafts.value[cid]
    localStorage.setItem(key(), JSON.stringify(drafts.value))
  }

  function set(cid: string, text: string) {
    ensureLoaded()
    if ((drafts.value[cid] ?? '') === (text.trim() ? text : '')) return
    store(cid, text)
    schedule(cid)
  }

  function schedule(cid: string) {
    const old = timers.get(cid)
    if (old) clearTimeout(old)
    timers.set(
      cid,
      setTimeout(() => {
        timers.delete(cid)
        void flush(cid)
      }, SAVE_AFTER_MS),
    )
  }

  async function flush(cid: string) {
    const text = drafts.value[cid] ?? ''
    if (saved[cid] === text) return
    try {
      await conversationsApi.settings(cid, { draft: text })
      saved[cid] = text
    } catch {
      // Kept locally; the next edit tries again.
    }
  }

  /** A draft as the server has it (conversation list, or another device changed it). */
  function fromServer(cid: string, text: string, initial = false) {
    ensureLoaded()
    saved[cid] = text
    const local = drafts.value[cid] ?? ''
    if (local === text) return
    if (initial && local) {
      // Typed here while the server did not hear it (offline, session expired): send it.
      schedule(cid)
      return
    }
    if (editing.value === cid && !initial) return
    store(cid, text)
  }

  return { drafts, editing, get, set, fromServer, ensureLoaded }
})
