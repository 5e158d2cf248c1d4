import type { ConversationSummary } from '@/api/types'
import { useConversationsStore } from '@/features/conversations/store'
import { useUsersStore } from '@/features/users/store'

/** Whether a conversation shows the “External” badge: a group with guests in it (the
 * server's `external`), or a direct chat with a guest. */
export function isExternalConversation(
  summary: Pick<ConversationSummary, 'external' | 'peer_id'> & { conversation: { type: string } },
  isExternalUser: (id: string) => boolean,
): boolean {
  if (summary.conversation.type === 'direct') return !!summary.peer_id && isExternalUser(summary.peer_id)
  return !!summary.external
}

/** A group someone joined: once any of the newcomers is a guest it is external (the
 * server says so on the next list or sync; this shows it at once, without a request per
 * member). Leaving is not mirrored: whether other guests remain is the server's answer. */
export async function markIfGuestsJoined(conversationId: string, userIds: string[]): Promise<void> {
  const users = useUsersStore()
  const convs = useConversationsStore()
  const people = await Promise.all(userIds.slice(0, 50).map((id) => users.ensure(id)))
  const summary = convs.byId[conversationId]
  if (summary && !summary.external && people.some((p) => p?.external)) convs.byId[conversationId] = { ...summary, external: true }
}
