import type { ConversationSummary } from '@/api/types'

/** Whether a conversation shows the “External” badge: a group with guests in it (the
 * server's `external`), or a direct chat with a guest. */
export function isExternalConversation(
  summary: Pick<ConversationSummary, 'external' | 'peer_id'> & { conversation: { type: string } },
  isExternalUser: (id: string) => boolean,
): boolean {
  if (summary.conversation.type === 'direct') return !!summary.peer_id && isExternalUser(summary.peer_id)
  return !!summary.external
}
