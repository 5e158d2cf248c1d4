import type { Message, PinRead } from '@/api/types'

/** Fold a `pin` change entry into a conversation's pin list (most recently pinned first). */
export function applyPinEntry(list: PinRead[], entry: Message): PinRead[] {
  const id = entry.target_id ?? entry.target?.id
  if (!id) return list
  const rest = list.filter((p) => p.message.id !== id)
  const pinned = (entry.change as { pinned?: boolean } | null)?.pinned
  if (!pinned || !entry.target || entry.target.recalled) return rest
  return [{ message: entry.target, pinned_by: entry.sender_id ?? '', pinned_at: entry.created_at }, ...rest]
}
