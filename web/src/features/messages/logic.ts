// Pure timeline logic: merging pages, live frames and sync events without duplicates.
// Kept free of Vue and HTTP so it is unit-tested (see logic.test.ts).
import type { Message } from '@/api/types'

export type ReplyPreview = NonNullable<Message['reply_to']>

export interface PendingMessage {
  client_msg_id: string
  conversation_id: string
  text: string
  reply_to: ReplyPreview | null
  mentions: string[]
  /** Uploaded files it carries (features/files). */
  attachments?: Message['attachments']
  /** queued: waiting its turn or for the connection (outbox.ts); failed: refused by the server. */
  status: 'queued' | 'sending' | 'failed'
  created_at: string
  error?: string
}

export interface Timeline {
  /** Shown entries (content and system), ascending by seq, unique by id and by seq. */
  messages: Message[]
  /** Sent by this client and not yet seen stored (keyed by client_msg_id). */
  pending: PendingMessage[]
  hasMoreBefore: boolean
  /** Opened around an old message: newer entries exist that are not loaded yet (live ones
   * past them wait for scrolling down, so nothing is shown out of order). */
  hasMoreAfter: boolean
  loaded: boolean
  /** Highest seq of any entry taken in (for `?after=` paging). */
  newestSeq: number | null
  /** Lowest seq of any entry received, shown or not: where the next older page starts. */
  oldestSeq: number | null
  /** message id -> seq of the newest change entry applied to it. A copy of a message from
   * a page never overrides a copy that a change entry put there (pages can be stale by the
   * time they land; every later change arrives as its own entry). */
  versions: Record<string, number>
}

export function emptyTimeline(): Timeline {
  return { messages: [], pending: [], hasMoreBefore: true, hasMoreAfter: false, loaded: false, oldestSeq: null, newestSeq: null, versions: {} }
}

/** Log entries that change another message instead of being shown themselves. */
export const CHANGE_KINDS: ReadonlySet<string> = new Set(['edit', 'recall', 'reaction', 'pin'])
/** Entries people write (and that count as unread). */
export const CONTENT_KINDS: ReadonlySet<string> = new Set(['text', 'forward'])

export function isChange(m: Message): boolean {
  return CHANGE_KINDS.has(m.kind)
}

/** Merge `incoming` into an ascending, duplicate-free list. A message is the same message if
 * its id or its seq matches (seq is unique per conversation); the newer copy wins. */
export function mergeMessages(list: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return list
  const last = list.length ? list[list.length - 1].seq : -1
  const sorted = [...incoming].sort((a, b) => a.seq - b.seq)
  // Fast path: strictly newer entries (the live stream) are appended.
  if (sorted[0].seq > last && isStrictlyAscending(sorted)) return [...list, ...sorted]
  const bySeq = new Map<number, Message>()
  const seqOfId = new Map<string, number>()
  for (const m of [...list, ...sorted]) {
    const previous = seqOfId.get(m.id)
    if (previous !== undefined && previous !== m.seq) bySeq.delete(previous)
    bySeq.set(m.seq, m)
    seqOfId.set(m.id, m.seq)
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

function isStrictlyAscending(items: Message[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i].seq <= items[i - 1].seq) return false
  return true
}

/** Drop pending sends that are now stored: same sender and client_msg_id. */
export function settlePending(pending: PendingMessage[], stored: Message[], myId: string): PendingMessage[] {
  if (!pending.length) return pending
  const mine = new Set(stored.filter((m) => m.sender_id === myId && m.client_msg_id).map((m) => m.client_msg_id))
  return mine.size ? pending.filter((p) => !mine.has(p.client_msg_id)) : pending
}

/** Put `next` in place of the message with the same id, and refresh the quotes of it that
 * replies carry (a recalled message must not live on in a quote). */
export function replaceMessage(list: Message[], next: Message): Message[] {
  let changed = false
  const out = list.map((m) => {
    if (m.id === next.id) {
      changed = true
      return next
    }
    if (m.reply_to && m.reply_to.id === next.id) {
      const quote = { ...m.reply_to, text: next.recalled ? '' : next.text, recalled: next.recalled }
      if (quote.text !== m.reply_to.text || quote.recalled !== m.reply_to.recalled) {
        changed = true
        return { ...m, reply_to: quote }
      }
    }
    return m
  })
  return changed ? out : list
}

/** Apply stored entries from any source (live frame, send reply, history page, sync):
 * content is merged, change entries replace their target, pending sends are settled. */
export function applyMessages(t: Timeline, stored: Message[], myId: string): Timeline {
  if (!stored.length) return t
  let versions = t.versions
  let oldest = t.oldestSeq
  let newest = t.newestSeq
  const content: Message[] = []
  const changes: Message[] = []
  for (const m of stored) {
    if (isChange(m)) {
      changes.push(m)
      continue
    }
    // Past the loaded stretch of a timeline opened in the middle: fetched when scrolled to.
    if (t.hasMoreAfter && newest !== null && m.seq > newest) continue
    oldest = oldest === null ? m.seq : Math.min(oldest, m.seq)
    newest = newest === null ? m.seq : Math.max(newest, m.seq)
    content.push(versions[m.id] ? (t.messages.find((x) => x.id === m.id) ?? m) : m)
  }
  let messages = mergeMessages(t.messages, content)
  changes.sort((a, b) => a.seq - b.seq)
  for (const c of changes) {
    const target = c.target
    const id = c.target_id ?? target?.id
    if (!(t.hasMoreAfter && newest !== null && c.seq > newest)) {
      oldest = oldest === null ? c.seq : Math.min(oldest, c.seq)
      newest = newest === null ? c.seq : Math.max(newest, c.seq)
    }
    if (!target || !id || (versions[id] ?? -1) >= c.seq) continue
    versions = { ...versions, [id]: c.seq }
    messages = replaceMessage(messages, target)
  }
  return { ...t, messages, versions, oldestSeq: oldest, newestSeq: newest, pending: settlePending(t.pending, stored, myId) }
}

/** A copy straight from the server's answer to my own action (edit, recall): it is the
 * current state, so it wins over whatever we hold. */
export function applyFresh(t: Timeline, m: Message): Timeline {
  return { ...t, messages: replaceMessage(t.messages, m) }
}

/** Prepend an older page (from `?before=`). */
export function applyOlderPage(t: Timeline, page: Message[], hasMore: boolean, myId = ''): Timeline {
  return { ...applyMessages(t, page, myId), hasMoreBefore: hasMore }
}

/** My reaction toggled on a copy of the message, for showing it before the server answers.
 * Returns whether the click adds (true) or removes (false) my reaction. */
export function toggleReaction(m: Message, emoji: string, myId: string): { on: boolean; message: Message } {
  const reactions = (m.reactions ?? []).map((r) => ({ ...r, user_ids: [...r.user_ids] }))
  const i = reactions.findIndex((r) => r.emoji === emoji)
  const mine = i >= 0 && reactions[i].user_ids.includes(myId)
  if (mine) {
    const r = reactions[i]
    r.user_ids = r.user_ids.filter((u) => u !== myId)
    r.count = Math.max(0, r.count - 1)
    if (r.count === 0) reactions.splice(i, 1)
  } else if (i >= 0) {
    reactions[i].user_ids.push(myId)
    reactions[i].count += 1
  } else {
    reactions.push({ emoji, count: 1, user_ids: [myId] })
  }
  return { on: !mine, message: { ...m, reactions } }
}

/** Whether a message can still be recalled by me: my own within the window, or any as a
 * group admin. The server has the final word. */
export function canRecall(m: Message, myId: string, isGroupAdmin: boolean, windowMs: number, now = Date.now()): boolean {
  if (m.recalled || !CONTENT_KINDS.has(m.kind)) return false
  if (isGroupAdmin) return true
  return m.sender_id === myId && now - Date.parse(m.created_at) < windowMs
}

export function canEdit(m: Message, myId: string, windowMs: number, now = Date.now()): boolean {
  return m.kind === 'text' && !m.recalled && m.sender_id === myId && now - Date.parse(m.created_at) < windowMs
}

/** Entries that count as unread (when someone else's): what people write, and a missed
 * call's record (the caller's entry, so unread for the callee), as on the server. */
export function countsAsUnread(m: Message): boolean {
  if (CONTENT_KINDS.has(m.kind)) return true
  const s = m.system as Record<string, unknown> | null
  return m.kind === 'system' && s?.event === 'call' && s?.outcome === 'missed'
}

/** Other people's messages after the read cursor: what the server calls unread. */
export function countUnread(messages: Message[], myId: string, lastReadSeq: number): number {
  let n = 0
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m.seq <= lastReadSeq) break
    if (countsAsUnread(m) && m.sender_id !== myId) n++
  }
  return n
}

export function mentionsMe(m: Message, myId: string): boolean {
  return CONTENT_KINDS.has(m.kind) && !m.recalled && m.sender_id !== myId && (m.mention_all || m.mentions.includes(myId))
}

/** A client_msg_id: unique per device and send, accepted by the server's pattern. */
export function newClientMsgId(): string {
  const rnd = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`
  return `w-${rnd}`
}

export type TimelineRow =
  | { kind: 'date'; key: string; date: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; first: boolean; last: boolean }
  | { kind: 'pending'; key: string; pending: PendingMessage; first: boolean }

const GROUP_GAP_MS = 5 * 60 * 1000

function dayKey(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`
}

/** Rows to render: date separators, the unread divider, and grouping of consecutive
 * messages by the same sender within five minutes. */
export function buildRows(t: Timeline, myId: string, unreadAfterSeq: number | null): TimelineRow[] {
  const rows: TimelineRow[] = []
  let prev: { sender: string | null; at: number; day: string; system: boolean } | null = null
  let dividerPlaced = false
  const msgs = t.messages
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]
    const day = dayKey(m.created_at)
    const at = Date.parse(m.created_at)
    if (!prev || prev.day !== day) rows.push({ kind: 'date', key: `d-${day}-${m.seq}`, date: m.created_at })
    let divider = false
    if (!dividerPlaced && unreadAfterSeq !== null && m.seq > unreadAfterSeq && m.sender_id !== myId && countsAsUnread(m)) {
      rows.push({ kind: 'unread', key: 'unread' })
      dividerPlaced = divider = true
    }
    const system = m.kind === 'system' || m.recalled
    const first =
      divider || !prev || prev.system || system || prev.sender !== m.sender_id || prev.day !== day || at - prev.at > GROUP_GAP_MS
    const row: TimelineRow = { kind: 'message', key: m.id, message: m, first, last: true }
    const before = rows[rows.length - 1]
    if (!first && before?.kind === 'message') before.last = false
    rows.push(row)
    prev = { sender: m.sender_id, at, day, system }
  }
  for (const p of t.pending) {
    const first = !prev || prev.sender !== myId || prev.system
    const before = rows[rows.length - 1]
    if (!first && before?.kind === 'message') before.last = false
    rows.push({ kind: 'pending', key: p.client_msg_id, pending: p, first })
    prev = { sender: myId, at: Date.parse(p.created_at), day: dayKey(p.created_at), system: false }
  }
  return rows
}
