import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { clear as clearAll, createStore, get, set, type UseStore } from 'idb-keyval'
import type { Account, ConversationSummary, Message, User } from '@/api/types'
import type { Timeline } from '@/features/messages/logic'
import { useAuthStore } from '@/features/auth/store'
import { useConversationsStore } from '@/features/conversations/store'
import { useMessagesStore } from '@/features/messages/store'
import { useUsersStore } from '@/features/users/store'
import { peopleIn, recentMessages, savedTimeline } from './snapshot'

// The offline copy, in IndexedDB: who was signed in, their conversation list, the recent
// messages of chats opened on this device, and the people these show. When the app
// starts and the server cannot be reached, it opens on this copy, read-only, with the
// connection banner; once the socket connects again the live data replaces it. Signing
// out (or the session ending) erases it.

interface SavedList { conversations: ConversationSummary[]; users: User[] }
const SESSION = 'session'
const SAVE_DELAY_MS = 800

let db: UseStore | null = null
const store = () => (db ??= createStore('parley-offline', 'kv'))
/** Storage may be missing or refuse (private mode, quota, no IndexedDB): then there is
 * simply no copy. */
async function safely<T>(op: (db: UseStore) => Promise<T>): Promise<T | undefined> {
  try {
    return await op(store())
  } catch {
    return undefined
  }
}
const listKey = (uid: string) => `list:${uid}`
const messagesKey = (uid: string, cid: string) => `messages:${uid}:${cid}`

export const useOfflineStore = defineStore('offline', () => {
  /** Showing the saved copy because the server was unreachable at start. */
  const active = ref(false)

  /** At start with the server unreachable: sign in as the saved user, if there is one. */
  async function resume(): Promise<boolean> {
    const me = await safely((db) => get<Account>(SESSION, db))
    if (!me) return false
    active.value = true
    useAuthStore().setMe(me)
    return true
  }

  /** Fill the stores from the saved copy (the list, people, opened chats' messages). */
  async function restore() {
    const me = useAuthStore().me
    if (!me) return
    const saved = await safely((db) => get<SavedList>(listKey(me.id), db))
    if (!saved) return
    const users = useUsersStore()
    saved.users.forEach((u) => users.put(u))
    const convs = useConversationsStore()
    for (const s of saved.conversations) convs.upsert(s)
    convs.loaded = true
    const messages = useMessagesStore()
    await Promise.all(
      saved.conversations.map(async (s) => {
        const list = await safely((db) => get<Message[]>(messagesKey(me.id, s.conversation.id), db))
        if (list?.length && !messages.get(s.conversation.id).loaded) messages.set(s.conversation.id, savedTimeline(list, me.id))
      }),
    )
  }

  /** Keep the copy up to date while online (debounced; only what changed is written). */
  function keep() {
    const convs = useConversationsStore()
    const messages = useMessagesStore()
    const users = useUsersStore()
    const written = new Map<string, Timeline>()
    let timer: ReturnType<typeof setTimeout> | null = null
    const save = async () => {
      timer = null
      const me = useAuthStore().me
      if (!me || active.value || !convs.loaded) return
      const opened = Object.entries(messages.timelines).filter(([cid, t]) => t.loaded && !t.hasMoreAfter && convs.byId[cid])
      const recent = opened.map(([, t]) => recentMessages(t))
      const conversations = JSON.parse(JSON.stringify(convs.all)) as ConversationSummary[]
      const list: SavedList = { conversations, users: JSON.parse(JSON.stringify(peopleIn(me, conversations, recent, users.byId))) }
      const changed = opened.filter(([cid, t]) => written.get(cid) !== t)
      await safely((db) =>
        Promise.all([
          set(SESSION, JSON.parse(JSON.stringify(me)), db),
          set(listKey(me.id), list, db),
          ...changed.map(([cid, t]) => {
            written.set(cid, t)
            return set(messagesKey(me.id, cid), JSON.parse(JSON.stringify(recentMessages(t))), db)
          }),
        ]),
      )
    }
    return watch(
      // (timelines are replaced in place of a shallow ref: a fresh copy notices each one)
      [() => convs.all, () => ({ ...messages.timelines }), () => useAuthStore().me],
      () => {
        if (!timer) timer = setTimeout(() => void save(), SAVE_DELAY_MS)
      },
    )
  }

  /** The server answers again: the live data takes over from the copy. */
  function backOnline() {
    active.value = false
  }

  /** Erase the copy (sign-out, or the session ended). */
  async function clear() {
    active.value = false
    await safely(clearAll)
  }

  return { active, resume, restore, keep, backOnline, clear }
})
