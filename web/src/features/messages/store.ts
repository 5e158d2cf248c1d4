import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { Message, PinRead } from '@/api/types'
import { ApiError } from '@/api/http'
import { messagesApi } from './api'
import {
  applyFresh,
  applyMessages,
  applyOlderPage,
  emptyTimeline,
  newClientMsgId,
  replaceMessage,
  toggleReaction,
  type PendingMessage,
  type ReplyPreview,
  type Timeline,
} from './logic'
import { applyPinEntry } from './pins'
import { afterError, nextToSend, waitingCount } from './outbox'
import { backoffDelay } from '@/features/realtime/socket'
import { useAuthStore } from '@/features/auth/store'
import { useConversationsStore } from '@/features/conversations/store'
import { useUsersStore } from '@/features/users/store'
import { syncNow } from '@/features/realtime/sync'

const PAGE = 50
const AROUND = 20
/** A send with no answer by then is given up and queued again (a request can hang when
 * the network drops under it, and would hold its conversation's queue). */
const SEND_TIMEOUT_MS = 30_000

export const useMessagesStore = defineStore('messages', () => {
  // Timelines are replaced wholesale on change; a shallow ref keeps 10k messages out of
  // Vue's deep proxies.
  const timelines = shallowRef<Record<string, Timeline>>({})
  /** Pinned messages per conversation, most recently pinned first (loaded on open). */
  const pins = ref<Record<string, PinRead[]>>({})
  /** Message ids I saved, as far as this client knows. */
  const favorites = ref<Record<string, boolean>>({})
  /** A message to scroll to and flash (permalinks, search results). */
  const focus = ref<{ conversationId: string; messageId: string; at: number } | null>(null)

  const myId = () => useAuthStore().myId

  function get(cid: string): Timeline {
    return timelines.value[cid] ?? emptyTimeline()
  }

  function set(cid: string, t: Timeline) {
    timelines.value[cid] = t
    triggerRef(timelines)
  }

  function find(cid: string, mid: string): Message | undefined {
    return get(cid).messages.find((m) => m.id === mid)
  }

  async function loadLatest(cid: string) {
    const page = await messagesApi.history(cid, { limit: PAGE })
    const base = get(cid)
    // A timeline opened around an old message (permalink) is replaced by the latest page.
    const t = base.hasMoreAfter ? emptyTimeline() : base
    const next = applyMessages(t, page.items, myId())
    set(cid, { ...next, hasMoreBefore: t.loaded ? t.hasMoreBefore : page.has_more, hasMoreAfter: false, loaded: true })
    useUsersStore().ensureMany(page.items.map((m) => m.sender_id))
    void loadPins(cid).catch(() => undefined)
  }

  /** Open a conversation around one message (a permalink or a search result). */
  async function loadAround(messageId: string): Promise<string> {
    const res = await messagesApi.locate(messageId, AROUND)
    const cid = res.conversation_id
    const t = get(cid)
    const all = [...res.context, res.message]
    if (t.loaded && !t.hasMoreAfter && t.messages.some((m) => m.id === messageId)) {
      set(cid, applyMessages(t, all, myId()))
    } else {
      const convs = useConversationsStore()
      const lastSeq = convs.byId[cid]?.conversation.last_seq ?? 0
      const maxSeq = Math.max(...all.map((m) => m.seq))
      const fresh = applyMessages({ ...emptyTimeline(), loaded: true }, all, myId())
      // Fewer than asked for on either side means that end of the log is reached.
      const before = res.context.filter((m) => m.seq < res.message.seq).length
      const after = res.context.filter((m) => m.seq > res.message.seq).length
      set(cid, { ...fresh, hasMoreBefore: before >= AROUND, hasMoreAfter: after >= AROUND && maxSeq < lastSeq, pending: t.pending })
      void loadPins(cid).catch(() => undefined)
    }
    useUsersStore().ensureMany(all.map((m) => m.sender_id))
    focus.value = { conversationId: cid, messageId, at: Date.now() }
    return cid
  }

  const loadingOlder = new Set<string>()
  /** Infinite scroll up. Returns how many entries were added. */
  async function loadOlder(cid: string): Promise<number> {
    const t = get(cid)
    if (!t.loaded || !t.hasMoreBefore || loadingOlder.has(cid) || t.oldestSeq === null) return 0
    loadingOlder.add(cid)
    try {
      const page = await messagesApi.history(cid, { before: t.oldestSeq, limit: PAGE })
      set(cid, applyOlderPage(get(cid), page.items, page.has_more, myId()))
      useUsersStore().ensureMany(page.items.map((m) => m.sender_id))
      return page.items.length
    } finally {
      loadingOlder.delete(cid)
    }
  }

  const loadingNewer = new Set<string>()
  /** Scrolling down in a timeline opened around an old message. */
  async function loadNewer(cid: string): Promise<number> {
    const t = get(cid)
    if (!t.loaded || !t.hasMoreAfter || loadingNewer.has(cid)) return 0
    loadingNewer.add(cid)
    try {
      const after = t.newestSeq ?? t.messages.at(-1)?.seq ?? 0
      const page = await messagesApi.history(cid, { after, limit: PAGE })
      const cur = get(cid)
      const next = applyMessages({ ...cur, hasMoreAfter: false }, page.items, myId())
      set(cid, { ...next, hasMoreAfter: page.has_more })
      useUsersStore().ensureMany(page.items.map((m) => m.sender_id))
      return page.items.length
    } finally {
      loadingNewer.delete(cid)
    }
  }

  /** Stored entries from any source (live frame, send reply, sync, backfill). */
  function receive(cid: string, stored: Message[]) {
    for (const m of stored) {
      if (m.kind === 'pin' && pins.value[cid]) pins.value[cid] = applyPinEntry(pins.value[cid], m)
      if (m.kind === 'recall' && m.target_id) {
        if (pins.value[cid]) pins.value[cid] = pins.value[cid].filter((p) => p.message.id !== m.target_id)
        delete favorites.value[m.target_id]
      }
    }
    const t = timelines.value[cid]
    if (!t?.loaded) return // not opened yet: its history is fetched when it is
    set(cid, applyMessages(t, stored, myId()))
  }

  async function send(cid: string, text: string, reply: ReplyPreview | null, mentions: string[], attachments: Message['attachments'] = []) {
    const pending: PendingMessage = {
      client_msg_id: newClientMsgId(),
      conversation_id: cid,
      text,
      reply_to: reply,
      mentions,
      attachments,
      status: 'queued',
      created_at: new Date().toISOString(),
    }
    const t = get(cid)
    set(cid, { ...t, pending: [...t.pending, pending] })
    pump(cid)
  }

  // --- the outbox: pending sends go out one at a time per conversation, in order --------
  /** A send failed for want of a connection: the queue waits for the socket's next
   * `hello` (resendPending) or, should the socket stay up, a backoff timer. */
  let held = false
  let holdTimer: ReturnType<typeof setTimeout> | null = null
  let holdAttempt = 0

  function pump(cid: string) {
    if (held) return
    const next = nextToSend(get(cid).pending)
    if (next) void deliver(next).then(() => pump(cid))
  }

  function hold() {
    held = true
    if (holdTimer) clearTimeout(holdTimer)
    holdTimer = setTimeout(resendPending, backoffDelay(holdAttempt++, 2000))
  }

  /** Connection back (or the person pressed 重发): send whatever waits, in order. */
  function resendPending() {
    held = false
    if (holdTimer) clearTimeout(holdTimer)
    holdTimer = null
    for (const cid of Object.keys(timelines.value)) pump(cid)
  }

  /** Sends not yet stored and not refused, across conversations. */
  const waiting = computed(() => waitingCount(Object.values(timelines.value).map((t) => t.pending)))

  /** Send (or resend) a pending message. The same client_msg_id is used every time, so
   * the server stores it at most once however often this runs. */
  async function deliver(p: PendingMessage) {
    updatePending(p.conversation_id, p.client_msg_id, { status: 'sending', error: undefined })
    try {
      const body = {
        client_msg_id: p.client_msg_id,
        text: p.text,
        reply_to: p.reply_to?.id ?? null,
        mentions: p.mentions,
        attachments: p.attachments?.map((f) => f.id),
      }
      const stored = await messagesApi.send(p.conversation_id, body, AbortSignal.timeout(SEND_TIMEOUT_MS))
      const t = get(p.conversation_id)
      // Sending from a timeline opened around an old message: go back to the latest.
      if (t.hasMoreAfter) await loadLatest(p.conversation_id).catch(() => undefined)
      receive(p.conversation_id, [stored])
      discard(p.conversation_id, p.client_msg_id) // (settled already when its timeline is open)
      const convs = useConversationsStore()
      if (convs.applyMessage(stored)) void syncNow().catch(() => undefined)
      holdAttempt = 0
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network_error'
      const status = afterError(err instanceof ApiError ? err.status : 0)
      updatePending(p.conversation_id, p.client_msg_id, { status, error: code })
      if (status === 'queued') hold()
    }
  }

  function retry(cid: string, clientMsgId: string) {
    updatePending(cid, clientMsgId, { status: 'queued', error: undefined })
    resendPending()
  }

  function discard(cid: string, clientMsgId: string) {
    const t = get(cid)
    set(cid, { ...t, pending: t.pending.filter((x) => x.client_msg_id !== clientMsgId) })
  }

  function updatePending(cid: string, clientMsgId: string, patch: Partial<PendingMessage>) {
    const t = get(cid)
    set(cid, { ...t, pending: t.pending.map((p) => (p.client_msg_id === clientMsgId ? { ...p, ...patch } : p)) })
  }

  // --- changes to messages ----------------------------------------------------------

  function putFresh(m: Message) {
    const t = timelines.value[m.conversation_id]
    if (t?.loaded) set(m.conversation_id, applyFresh(t, m))
    useConversationsStore().applyTarget(m)
  }

  async function edit(cid: string, mid: string, text: string) {
    putFresh(await messagesApi.edit(cid, mid, text))
  }

  async function recall(cid: string, mid: string) {
    putFresh(await messagesApi.recall(cid, mid))
    if (pins.value[cid]) pins.value[cid] = pins.value[cid].filter((p) => p.message.id !== mid)
  }

  /** Toggle my reaction; shown at once, put right by the server's entry. */
  async function react(cid: string, mid: string, emoji: string) {
    const current = find(cid, mid)
    if (!current) return
    const { on, message } = toggleReaction(current, emoji, myId())
    const t = get(cid)
    set(cid, { ...t, messages: replaceMessage(t.messages, message) })
    try {
      await messagesApi.react(cid, mid, emoji, on)
    } catch (err) {
      const now = get(cid)
      const shown = now.messages.find((m) => m.id === mid)
      if (shown === message) set(cid, { ...now, messages: replaceMessage(now.messages, current) })
      throw err
    }
  }

  async function loadPins(cid: string) {
    pins.value[cid] = await messagesApi.pins(cid)
    return pins.value[cid]
  }

  function isPinned(cid: string, mid: string): boolean {
    return !!pins.value[cid]?.some((p) => p.message.id === mid)
  }

  async function pin(cid: string, mid: string, on: boolean) {
    pins.value[cid] = await messagesApi.pin(cid, mid, on)
  }

  async function favorite(m: Message, on: boolean) {
    if (on) await messagesApi.addFavorite(m.id)
    else await messagesApi.removeFavorite(m.id)
    favorites.value[m.id] = on
  }

  async function forward(cid: string, messageIds: string[], targetIds: string[], merge: boolean) {
    const stored = await messagesApi.forward({
      conversation_id: cid,
      message_ids: messageIds,
      target_ids: targetIds,
      merge,
      client_msg_id: newClientMsgId().replace(/^w-/, 'f-').slice(0, 40),
    })
    const convs = useConversationsStore()
    let gap = false
    for (const m of stored) {
      receive(m.conversation_id, [m])
      gap = convs.applyMessage(m) || gap
    }
    if (gap) void syncNow().catch(() => undefined)
    return stored
  }

  const lastMarked: Record<string, number> = {}
  /** Move my read cursor to the newest loaded entry of an open conversation. */
  async function markRead(cid: string) {
    const t = get(cid)
    if (t.hasMoreAfter) return // reading an old stretch is not reading the latest
    const convs = useConversationsStore()
    const s = convs.byId[cid]
    const seq = Math.max(t.messages.at(-1)?.seq ?? 0, s?.conversation.last_seq ?? 0)
    if (!s || seq <= s.last_read_seq || (lastMarked[cid] ?? -1) >= seq) return
    lastMarked[cid] = seq
    convs.applyMyRead(cid, seq, t.messages)
    try {
      await messagesApi.markRead(cid, seq)
    } catch {
      delete lastMarked[cid]
    }
  }

  function forget(cid: string) {
    const next = { ...timelines.value }
    delete next[cid]
    timelines.value = next
    delete pins.value[cid]
  }

  function clear() {
    held = false
    if (holdTimer) clearTimeout(holdTimer)
    holdTimer = null
    timelines.value = {}
    pins.value = {}
    favorites.value = {}
    focus.value = null
  }

  return {
    timelines, pins, favorites, focus, waiting, get, find, set, loadLatest, loadAround, loadOlder, loadNewer, receive, send, retry,
    discard, resendPending, markRead, forget, clear, edit, recall, react, loadPins, isPinned, pin, favorite, forward,
  }
})
