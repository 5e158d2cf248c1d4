import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Conversation, JoinRequest, MemberSettings, Message, Permission, User } from '@/api/types'
import { useDraftsStore } from '@/features/messages/drafts'
import { RealtimeSocket, type Frame, type SocketState } from './socket'
import { syncNow } from './sync'
import { usersApi } from '@/features/users/api'
import { useAuthStore } from '@/features/auth/store'
import { useConversationsStore } from '@/features/conversations/store'
import { useMessagesStore } from '@/features/messages/store'
import { useUsersStore } from '@/features/users/store'
import { notifyIncoming } from './notify'
import { useCallsStore } from '@/features/calls/store'
import { markIfGuestsJoined } from '@/features/guests/external'
import { useMeetingsStore } from '@/features/calls/meetingStore'

const TYPING_TTL_MS = 6000
const MEMBER_EVENTS = new Set([
  'members_added', 'members_removed', 'member_left', 'role_changed', 'owner_transferred', 'member_muted', 'member_unmuted',
])

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/api/v1/ws`
}

export const useRealtimeStore = defineStore('realtime', () => {
  const state = ref<SocketState>('idle')
  const retryAt = ref<number | null>(null)
  const syncing = ref(false)
  /** The connection was up once and is not now: what was lost is shown (the banner, and
   * others' presence as unknown) until it is back. */
  const lost = ref(false)
  /** Briefly true after a lost connection came back (the banner says so). */
  const restored = ref(false)
  let restoredTimer: ReturnType<typeof setTimeout> | null = null
  let everOpen = false
  /** conversation id -> user id -> expiry time of the "typing" hint */
  const typing = ref<Record<string, Record<string, number>>>({})
  let socket: RealtimeSocket | null = null

  function start() {
    if (socket) return
    socket = new RealtimeSocket({
      url: wsUrl,
      onFrame: dispatch,
      onState: (s, at) => {
        state.value = s
        retryAt.value = at
        onConnection(s)
      },
      onAuthFailure: () => {
        // Ask the server whether the session is really gone; a 401 there sends us to login.
        // Not after a sign-out: there is nothing left to ask about.
        const auth = useAuthStore()
        if (auth.status === 'authenticated') usersApi.me().catch(() => auth.forget(true))
      },
    })
    socket.start()
    useCallsStore().bind((frame) => socket?.send(frame) ?? false)
    useMeetingsStore().bind((frame) => socket?.send(frame) ?? false)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
  }

  function stop() {
    socket?.stop()
    socket = null
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
    state.value = 'idle'
    lost.value = restored.value = false
    if (restoredTimer) clearTimeout(restoredTimer)
    everOpen = false
  }

  function onOnline() {
    socket?.reconnectNow()
  }

  function onOffline() {
    socket?.interrupt()
  }

  function onConnection(s: SocketState) {
    const users = useUsersStore()
    if (s === 'open') {
      if (lost.value) {
        restored.value = true
        if (restoredTimer) clearTimeout(restoredTimer)
        restoredTimer = setTimeout(() => (restored.value = false), 4000)
      }
      everOpen = true
      lost.value = false
    } else if (everOpen && (s === 'waiting' || s === 'connecting')) {
      lost.value = true
      restored.value = false
      users.presenceKnown = false
    }
  }

  function reconnectNow() {
    socket?.reconnectNow()
  }

  async function resync() {
    syncing.value = true
    try {
      await syncNow()
      useMessagesStore().resendPending()
      // Presence changed unseen while we were away: ask again for everyone shown.
      const users = useUsersStore()
      if (!users.presenceKnown) {
        await users.refreshPresence(Object.keys(users.online))
        users.presenceKnown = true
      }
    } catch {
      // The next reconnect or gap retries.
    } finally {
      syncing.value = false
    }
  }

  function sendTyping(conversationId: string) {
    socket?.send({ type: 'typing', conversation_id: conversationId })
  }

  function dispatch(frame: Frame) {
    const convs = useConversationsStore()
    const messages = useMessagesStore()
    const auth = useAuthStore()
    if (frame.type.startsWith('meeting.')) {
      useMeetingsStore().onFrame(frame)
      return
    }
    if (frame.type.startsWith('call.') || frame.type === 'error') {
      useCallsStore().onFrame(frame)
      if (frame.type === 'error') useMeetingsStore().onFrame(frame)
      return
    }
    switch (frame.type) {
      case 'hello':
      case 'sync.required':
        void resync()
        break
      case 'message.edited':
      case 'message.recalled':
      case 'reaction.updated':
      case 'pin.updated': {
        // Change entries: they take a seq (so they count for gap detection) and replace
        // the changed message with its current state; they are not shown themselves.
        const m = frame.message as Message
        messages.receive(m.conversation_id, [m])
        const known = !!convs.byId[m.conversation_id]
        if (convs.applyMessage(m) || !known) void syncNow()
        break
      }
      case 'conversation.settings': {
        const cid = String(frame.conversation_id)
        const s = frame.settings as MemberSettings
        convs.applySettings(cid, s)
        useDraftsStore().fromServer(cid, s.draft ?? '')
        break
      }
      case 'favorite.updated':
        messages.favorites[String(frame.message_id)] = !!frame.saved
        break
      case 'permissions.changed':
        useAuthStore().permissions = frame.permissions as Permission[]
        break
      case 'user.updated': {
        const u = frame.user as User | undefined
        if (u?.id) useUsersStore().put(u)
        break
      }
      case 'message.new': {
        const m = frame.message as Message
        messages.receive(m.conversation_id, [m])
        const known = !!convs.byId[m.conversation_id]
        if (convs.applyMessage(m) || !known) void syncNow()
        clearTyping(m.conversation_id, m.sender_id)
        // Membership and role changes arrive as system entries: refresh an open member list.
        const event = String((m.system as Record<string, unknown> | null)?.event ?? '')
        if (MEMBER_EVENTS.has(event) && convs.members[m.conversation_id]) {
          void convs.loadMembers(m.conversation_id).catch(() => undefined)
        }
        if (event === 'members_added') void markIfGuestsJoined(m.conversation_id, (m.system as { user_ids?: string[] }).user_ids ?? [])
        if (m.sender_id !== auth.myId) notifyIncoming(m)
        break
      }
      case 'read.updated': {
        const cid = String(frame.conversation_id)
        const uid = String(frame.user_id)
        const seq = Number(frame.last_read_seq)
        if (uid === auth.myId) convs.applyMyRead(cid, seq, messages.get(cid).messages)
        convs.applyMemberRead(cid, uid, seq)
        break
      }
      case 'typing': {
        const cid = String(frame.conversation_id)
        const uid = String(frame.user_id)
        if (uid === auth.myId) break
        typing.value[cid] = { ...(typing.value[cid] ?? {}), [uid]: Date.now() + TYPING_TTL_MS }
        setTimeout(() => pruneTyping(cid), TYPING_TTL_MS + 50)
        break
      }
      case 'presence':
        useUsersStore().setPresence(String(frame.user_id), String(frame.status))
        break
      case 'conversation.added': {
        const c = frame.conversation as Conversation
        convs.refreshOne(c.id).catch(() => undefined)
        break
      }
      case 'group.join_requests':
        convs.joinRequests[String(frame.conversation_id)] = frame.requests as JoinRequest[]
        useUsersStore().ensureMany((frame.requests as JoinRequest[]).flatMap((r) => [r.user_id, r.invited_by]))
        break
      case 'conversation.updated':
        convs.applyConversation(frame.conversation as Conversation)
        break
      case 'conversation.removed': {
        const cid = String(frame.conversation_id)
        convs.remove(cid)
        messages.forget(cid)
        break
      }
      case 'session.revoked': {
        const ids = (frame.session_ids as string[] | undefined) ?? []
        if (!ids.length || auth.status !== 'authenticated') break
        usersApi.me().catch(() => auth.forget(true))
        break
      }
    }
  }

  function clearTyping(cid: string, uid: string | null) {
    if (!uid || !typing.value[cid]?.[uid]) return
    const next = { ...typing.value[cid] }
    delete next[uid]
    typing.value[cid] = next
  }

  function pruneTyping(cid: string) {
    const now = Date.now()
    const entries = Object.entries(typing.value[cid] ?? {}).filter(([, until]) => until > now)
    typing.value[cid] = Object.fromEntries(entries)
  }

  return { state, retryAt, syncing, lost, restored, typing, start, stop, reconnectNow, sendTyping, resync }
})
