// Catch-up: send our cursors, fold the pages into the stores. Runs on every (re)connect,
// when a live frame reveals a gap, and when the server asks (`sync.required`).
import { messagesApi } from '@/features/messages/api'
import { applySyncPage } from '@/features/conversations/logic'
import { useConversationsStore } from '@/features/conversations/store'
import { useMessagesStore } from '@/features/messages/store'
import { useUsersStore } from '@/features/users/store'

let running: Promise<void> | null = null
let again = false

/** Sync now; concurrent calls coalesce into one extra round. */
export function syncNow(): Promise<void> {
  if (running) {
    again = true
    return running
  }
  running = (async () => {
    try {
      do {
        again = false
        await syncOnce()
      } while (again)
    } finally {
      running = null
    }
  })()
  return running
}

async function syncOnce() {
  const convs = useConversationsStore()
  const messages = useMessagesStore()
  let pages = 0
  for (;;) {
    const page = await messagesApi.sync({ ...convs.cursors })
    const result = applySyncPage(convs.cursors, page)
    for (const id of result.removed) {
      convs.remove(id)
      messages.forget(id)
    }
    for (const [cid, events] of result.events) messages.receive(cid, events)
    // Summaries are the server's truth for unread counts and @ markers.
    for (const s of result.summaries) convs.upsert(s, false)
    convs.cursors = result.cursors
    useUsersStore().ensureMany(page.events.map((m) => m.sender_id))
    if (!page.has_more || ++pages > 200) break
  }
}
