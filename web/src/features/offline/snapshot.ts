import type { ConversationSummary, Message, User } from '@/api/types'
import { applyMessages, emptyTimeline, type Timeline } from '@/features/messages/logic'

// What this device keeps to show while the server is unreachable, decided without
// storage: the conversation list, the most recent messages of the chats opened here, and
// the people those name (so names and avatars still show).

/** Messages kept per opened conversation. */
export const RECENT = 50

/** The last `n` shown messages of a timeline (sent ones only: pending sends are the
 * composer's business, not history). */
export function recentMessages(t: Timeline, n = RECENT): Message[] {
  return t.messages.slice(-n)
}

/** Everyone the saved conversations and messages show, as far as this client knows them. */
export function peopleIn(
  me: User,
  conversations: ConversationSummary[],
  messages: Message[][],
  known: Record<string, User>,
): User[] {
  const ids = new Set<string>([me.id])
  for (const s of conversations) {
    if (s.peer_id) ids.add(s.peer_id)
    if (s.last_message?.sender_id) ids.add(s.last_message.sender_id)
  }
  for (const list of messages) for (const m of list) if (m.sender_id) ids.add(m.sender_id)
  return [...ids].map((id) => (id === me.id ? me : known[id])).filter((u): u is User => !!u)
}

/** A saved conversation's messages as a timeline to read: loaded (nothing is fetched for
 * it while offline) and, unless it starts at the beginning, with more before it. */
export function savedTimeline(messages: Message[], myId: string): Timeline {
  const t = applyMessages({ ...emptyTimeline(), loaded: true }, messages, myId)
  return { ...t, hasMoreBefore: (messages[0]?.seq ?? 1) > 1 }
}

/** Whether an API failure means the server could not be reached (rather than refused). */
export function isUnreachable(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status
  return status === 0 || status === 502 || status === 504
}
