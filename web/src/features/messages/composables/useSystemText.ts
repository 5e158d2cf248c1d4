import { useI18n } from 'vue-i18n'
import type { Message } from '@/api/types'
import { useUsersStore } from '@/features/users/store'
import { useAuthStore } from '@/features/auth/store'
import { recordText, type CallRecord } from '@/features/calls/logic'

const KNOWN = new Set([
  'group_created', 'members_added', 'members_removed', 'member_left', 'group_renamed', 'topic_changed',
  'announcement_changed', 'admins_only_changed', 'role_changed', 'owner_transferred',
  'message_erased', 'permissions_changed', 'member_muted', 'member_unmuted',
])

/** Human text for a system entry of the log ("Alice added Bob"). */
export function useSystemText() {
  const { t } = useI18n()
  const users = useUsersStore()
  const auth = useAuthStore()
  const who = (id: unknown) => (id === auth.myId ? t('common.you') : users.name(String(id ?? '')))
  return (m: Message): string => {
    const s = (m.system ?? {}) as Record<string, unknown>
    const event = String(s.event ?? '')
    if (event === 'call') {
      const r = recordText(s as unknown as CallRecord, (id) => who(id), (media) => t(`calls.record.${media}`))
      return t(r.key, r.params)
    }
    const ids = Array.isArray(s.user_ids) ? (s.user_ids as string[]) : []
    const params = {
      actor: who(m.sender_id),
      users: ids.map(who).join(', '),
      user: who(s.user_id),
      name: String(s.name ?? ''),
      role: s.role ? t(`conversations.roles.${String(s.role)}`) : '',
      until: s.until ? new Date(String(s.until)).toLocaleString() : '',
    }
    return t(`messages.system.${KNOWN.has(event) ? event : 'unknown'}`, params)
  }
}
