// Sends not yet stored, as a queue per conversation. Pure (outbox.test.ts); the messages
// store puts them on the wire.
import type { PendingMessage } from './logic'

/** A send that failed this way waits and goes again by itself when the connection is back
 * (same client_msg_id, so the server stores it once): no answer at all (offline, the
 * server restarting) or one saying "not now" (408, 429, 5xx). Anything else is the
 * server refusing it for good (too long, posting restricted, ...): it stays failed until
 * the person presses 重发 or deletes it. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500
}

/** The pending send of one conversation to put on the wire next, or null: the oldest one
 * waiting, and only while none is on its way. The server numbers messages in the order it
 * receives them, so sending one at a time keeps the order they were written in, also for
 * everything written while offline. A failed one (refused) does not hold the rest back. */
export function nextToSend(pending: readonly PendingMessage[]): PendingMessage | null {
  if (pending.some((p) => p.status === 'sending')) return null
  return pending.find((p) => p.status === 'queued') ?? null
}

/** The state a send goes to after an error with this HTTP status (0: no answer). */
export function afterError(status: number): PendingMessage['status'] {
  return isTransient(status) ? 'queued' : 'failed'
}

/** Sends waiting for the connection, across conversations (shown in the banner). */
export function waitingCount(pendingByConversation: Iterable<readonly PendingMessage[]>): number {
  let n = 0
  for (const pending of pendingByConversation) n += pending.filter((p) => p.status !== 'failed').length
  return n
}
