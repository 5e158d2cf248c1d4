// Pure conversation-list logic: ordering, unread badges, @ markers, sync cursors.
import type { ConversationSummary, MemberSettings, Message, SyncResponse } from '@/api/types'
import { CONTENT_KINDS, countsAsUnread, countUnread, isChange, mentionsMe } from '@/features/messages/logic'

/** Pinned conversations first (as the server orders them), then by latest activity. */
export function sortSummaries(list: ConversationSummary[]): ConversationSummary[] {
  return [...list].sort((a, b) => {
    const p = Number(!!b.settings?.pinned) - Number(!!a.settings?.pinned)
    if (p !== 0) return p
    const d = Date.parse(b.conversation.last_activity_at) - Date.parse(a.conversation.last_activity_at)
    return d !== 0 ? d : a.conversation.id.localeCompare(b.conversation.id)
  })
}

/** A new log entry seen live. Counting is keyed on seq, so an entry seen twice (live and
 * again in a sync page) is counted once. `viewing`: the user is looking at it right now. */
export function applyMessageToSummary(
  s: ConversationSummary,
  m: Message,
  myId: string,
  viewing: boolean,
): ConversationSummary {
  const c = s.conversation
  if (isChange(m)) return applyChangeToSummary(s, m)
  const isNew = m.seq > c.last_seq || !s.last_message || m.seq > s.last_message.seq
  if (!isNew) return s
  const next: ConversationSummary = {
    ...s,
    conversation: {
      ...c,
      last_seq: Math.max(c.last_seq, m.seq),
      last_activity_at: m.created_at > c.last_activity_at ? m.created_at : c.last_activity_at,
    },
    last_message: !s.last_message || m.seq > s.last_message.seq ? m : s.last_message,
    // Something new brings an archived conversation back (as on the server).
    settings: m.seq > c.last_seq && s.settings?.archived ? { ...s.settings, archived: false } : s.settings,
  }
  const sys = (m.system ?? {}) as Record<string, unknown>
  if ((sys.event === 'member_muted' || sys.event === 'member_unmuted') && sys.user_id === myId) {
    next.muted_until = sys.event === 'member_muted' ? String(sys.until) : null
  }
  if (m.sender_id === myId && CONTENT_KINDS.has(m.kind)) {
    // Sending moves the sender's own read cursor on the server.
    next.last_read_seq = Math.max(s.last_read_seq, m.seq)
    next.unread_count = 0
    next.mentioned = false
  } else if (m.seq > s.last_read_seq && m.seq > c.last_seq && !viewing) {
    if (countsAsUnread(m)) next.unread_count = s.unread_count + 1
    if (mentionsMe(m, myId)) next.mentioned = true
  }
  return next
}

/** An edit, recall, reaction or pin: it takes a seq but is neither activity nor unread;
 * the preview follows the changed message if it is the last one. */
export function applyChangeToSummary(s: ConversationSummary, m: Message): ConversationSummary {
  const c = s.conversation
  let next = s
  if (m.seq > c.last_seq) {
    next = {
      ...s,
      conversation: { ...c, last_seq: m.seq },
      settings: s.settings?.archived ? { ...s.settings, archived: false } : s.settings,
    }
  }
  if (m.target) next = applyTargetToSummary(next, m.target)
  return next
}

/** The current state of a changed message: refresh the preview if it is the last one. */
export function applyTargetToSummary(s: ConversationSummary, target: Message): ConversationSummary {
  if (!s.last_message || s.last_message.id !== target.id) return s
  return { ...s, last_message: target }
}

export function applySettingsToSummary(s: ConversationSummary, settings: Partial<MemberSettings>): ConversationSummary {
  return { ...s, settings: { ...s.settings, ...settings } }
}

/** My read cursor moved to `seq` (here or on another device). */
export function applyReadToSummary(
  s: ConversationSummary,
  seq: number,
  myId: string,
  loaded: Message[] | null,
): ConversationSummary {
  if (seq <= s.last_read_seq) return s
  const caughtUp = seq >= s.conversation.last_seq
  let unread = 0
  if (!caughtUp) {
    const covers = loaded && loaded.length > 0 && loaded[0].seq <= seq + 1
    unread = covers ? countUnread(loaded!, myId, seq) : Math.min(s.unread_count, s.conversation.last_seq - seq)
  }
  return { ...s, last_read_seq: seq, unread_count: unread, mentioned: caughtUp ? false : s.mentioned }
}

export interface SyncResult {
  cursors: Record<string, number>
  /** Missed entries, grouped by conversation, ascending. */
  events: Map<string, Message[]>
  summaries: ConversationSummary[]
  removed: string[]
}

/** Fold one page of `/sync` into the client's cursors. Conversations new to the client
 * start their cursor at their current last_seq (their history is fetched when opened). */
export function applySyncPage(cursors: Record<string, number>, page: SyncResponse): SyncResult {
  const next = { ...cursors }
  for (const id of page.removed) delete next[id]
  for (const [id, seq] of Object.entries(page.next_cursors)) next[id] = Math.max(next[id] ?? 0, seq)
  for (const s of page.conversations) {
    if (!(s.conversation.id in cursors)) next[s.conversation.id] = s.conversation.last_seq
  }
  const events = new Map<string, Message[]>()
  for (const m of page.events) {
    const list = events.get(m.conversation_id)
    if (list) list.push(m)
    else events.set(m.conversation_id, [m])
  }
  return { cursors: next, events, summaries: page.conversations, removed: page.removed }
}

/** Whether a live entry leaves a hole after the cursor (a lost frame): then sync. */
export function hasGap(cursor: number | undefined, seq: number): boolean {
  return cursor !== undefined && seq > cursor + 1
}

export function advanceCursor(cursor: number | undefined, seq: number): number {
  // Only a contiguous entry moves the cursor; a gap leaves it for sync to fill.
  if (cursor === undefined) return seq
  return seq === cursor + 1 ? seq : cursor
}
