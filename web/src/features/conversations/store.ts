import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Conversation, ConversationSummary, JoinRequest, Member, MemberSettings, Message } from '@/api/types'
import { conversationsApi } from './api'
import {
  advanceCursor,
  applyMessageToSummary,
  applyReadToSummary,
  applySettingsToSummary,
  applyTargetToSummary,
  hasGap,
  sortSummaries,
} from './logic'
import { useAuthStore } from '@/features/auth/store'
import { useUsersStore } from '@/features/users/store'
import { useDraftsStore } from '@/features/messages/drafts'

export const useConversationsStore = defineStore('conversations', () => {
  const byId = ref<Record<string, ConversationSummary>>({})
  /** Highest contiguous seq this client has processed, per conversation (the sync cursor). */
  const cursors = ref<Record<string, number>>({})
  const members = ref<Record<string, Member[]>>({})
  /** Pending join requests of groups I administer, kept live by `group.join_requests`. */
  const joinRequests = ref<Record<string, JoinRequest[]>>({})
  const loaded = ref(false)
  const activeId = ref<string | null>(null)
  /** Whether the user is looking at the active conversation (tab visible, scrolled down). */
  const viewingActive = ref(true)

  /** Show archived conversations in the list too. */
  const showArchived = ref(false)
  const all = computed(() => sortSummaries(Object.values(byId.value)))
  /** The list as shown: archived ones only on request (the open one always). */
  const list = computed(() =>
    showArchived.value ? all.value : all.value.filter((s) => !s.settings?.archived || s.conversation.id === activeId.value),
  )
  const archivedCount = computed(() => all.value.filter((s) => s.settings?.archived).length)
  // Muted conversations keep their own grey badge but stay out of the total.
  const totalUnread = computed(() => all.value.reduce((n, s) => n + (s.settings?.muted ? 0 : s.unread_count), 0))
  const active = computed(() => (activeId.value ? byId.value[activeId.value] ?? null : null))

  const myId = () => useAuthStore().myId

  function upsert(s: ConversationSummary, setCursor = true) {
    byId.value[s.conversation.id] = s
    if (setCursor && !(s.conversation.id in cursors.value)) cursors.value[s.conversation.id] = s.conversation.last_seq
    const users = useUsersStore()
    users.ensureMany([s.peer_id, s.last_message?.sender_id])
  }

  async function loadAll() {
    let cursor: string | null = null
    const seen: Record<string, ConversationSummary> = {}
    do {
      const page = await conversationsApi.list(cursor, 100)
      for (const s of page.items) seen[s.conversation.id] = s
      cursor = page.next_cursor
    } while (cursor)
    byId.value = seen
    cursors.value = Object.fromEntries(Object.values(seen).map((s) => [s.conversation.id, s.conversation.last_seq]))
    loaded.value = true
    const drafts = useDraftsStore()
    for (const s of Object.values(seen)) drafts.fromServer(s.conversation.id, s.settings?.draft ?? '', true)
    useUsersStore().ensureMany(Object.values(seen).flatMap((s) => [s.peer_id, s.last_message?.sender_id]))
    void useUsersStore().refreshPresence(Object.values(seen).map((s) => s.peer_id).filter((x): x is string => !!x))
  }

  async function refreshOne(id: string) {
    const detail = await conversationsApi.get(id)
    const { member_count: _ignored, ...summary } = detail
    upsert(summary)
    return detail
  }

  /** A live log entry. Returns true when it reveals a gap the caller should sync. */
  function applyMessage(m: Message): boolean {
    const s = byId.value[m.conversation_id]
    const gap = hasGap(cursors.value[m.conversation_id], m.seq)
    cursors.value[m.conversation_id] = advanceCursor(cursors.value[m.conversation_id], m.seq)
    if (!s) return true // a conversation we do not know yet: sync brings its summary
    const viewing = activeId.value === m.conversation_id && viewingActive.value
    byId.value[m.conversation_id] = applyMessageToSummary(s, m, myId(), viewing)
    useUsersStore().ensureMany([m.sender_id])
    return gap
  }

  /** The current state of a message changed by my own action (edit, recall). */
  function applyTarget(m: Message) {
    const s = byId.value[m.conversation_id]
    if (s) byId.value[m.conversation_id] = applyTargetToSummary(s, m)
  }

  /** My settings changed here or on another device (`conversation.settings`). */
  function applySettings(id: string, settings: Partial<MemberSettings>) {
    const s = byId.value[id]
    if (s) byId.value[id] = applySettingsToSummary(s, settings)
  }

  async function updateSettings(id: string, patch: Partial<MemberSettings>) {
    const before = byId.value[id]?.settings
    applySettings(id, patch)
    try {
      applySettings(id, await conversationsApi.settings(id, patch))
    } catch (err) {
      if (before) applySettings(id, before)
      throw err
    }
  }

  function applyMyRead(conversationId: string, seq: number, loadedMessages: Message[] | null) {
    const s = byId.value[conversationId]
    if (s) byId.value[conversationId] = applyReadToSummary(s, seq, myId(), loadedMessages)
  }

  function applyMemberRead(conversationId: string, userId: string, seq: number) {
    const list = members.value[conversationId]
    if (!list) return
    const i = list.findIndex((m) => m.user_id === userId)
    if (i >= 0 && list[i].last_read_seq < seq) list[i] = { ...list[i], last_read_seq: seq }
  }

  function applyConversation(c: Conversation) {
    const s = byId.value[c.id]
    if (s) byId.value[c.id] = { ...s, conversation: { ...c, last_seq: Math.max(c.last_seq, s.conversation.last_seq) } }
  }

  function remove(id: string) {
    delete byId.value[id]
    delete cursors.value[id]
    delete members.value[id]
    if (activeId.value === id) activeId.value = null
  }

  async function loadMembers(id: string) {
    const all: Member[] = []
    let after: string | null = null
    do {
      const page = await conversationsApi.members(id, after, 200)
      all.push(...page.items)
      after = page.next_cursor
    } while (after && all.length < 5000)
    members.value[id] = all
    useUsersStore().ensureMany(all.map((m) => m.user_id))
    void useUsersStore().refreshPresence(all.slice(0, 500).map((m) => m.user_id))
    return all
  }

  async function createGroup(name: string, memberIds: string[]) {
    const d = await conversationsApi.createGroup(name, memberIds)
    const { member_count: _ignored, ...summary } = d
    upsert(summary)
    return summary
  }

  /** The direct chat with a person, created on first use (the server returns the existing one). */
  async function openDirect(userId: string) {
    const existing = Object.values(byId.value).find((s) => s.peer_id === userId)
    if (existing) return existing
    const d = await conversationsApi.createDirect(userId)
    const { member_count: _ignored, ...summary } = d
    upsert(summary)
    return summary
  }

  function title(s: ConversationSummary | null | undefined): string {
    if (!s) return ''
    if (s.conversation.type === 'direct') return useUsersStore().name(s.peer_id) || s.conversation.name
    return s.conversation.name
  }

  function clear() {
    byId.value = {}
    cursors.value = {}
    members.value = {}
    joinRequests.value = {}
    loaded.value = false
    activeId.value = null
  }

  return {
    byId, cursors, members, joinRequests, loaded, activeId, viewingActive, list, all, showArchived, archivedCount, totalUnread, active,
    upsert, loadAll, refreshOne, applyMessage, applyTarget, applySettings, updateSettings, applyMyRead, applyMemberRead, applyConversation,
    remove, loadMembers, createGroup, openDirect, title, clear,
  }
})
