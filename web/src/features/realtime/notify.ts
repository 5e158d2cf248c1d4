// Browser notifications and the title badge while the tab is hidden.
import type { Message } from '@/api/types'
import { useConversationsStore } from '@/features/conversations/store'
import { useSettingsStore } from '@/features/settings/store'
import { useUsersStore } from '@/features/users/store'
import { plainPreview } from '@/features/messages/markdown'
import { CONTENT_KINDS, mentionsMe } from '@/features/messages/logic'
import { useAuthStore } from '@/features/auth/store'
import { currentPermission, useNotifyPromptStore } from './notifyPrompt'

let audio: AudioContext | null = null
let lastChime = 0

/** A soft two-note chime, synthesised (no asset to load), at most once a second. */
function chime() {
  const now = Date.now()
  if (now - lastChime < 1000) return
  lastChime = now
  try {
    audio ??= new AudioContext()
    const t0 = audio.currentTime
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.09)
      gain.gain.exponentialRampToValueAtTime(0.08, t0 + i * 0.09 + 0.01)
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.09 + 0.25)
      osc.connect(gain).connect(audio.destination)
      osc.start(t0 + i * 0.09)
      osc.stop(t0 + i * 0.09 + 0.3)
    }
  } catch {
    // no audio (autoplay policy, no device): silent
  }
}

export function notifyIncoming(m: Message) {
  if (!CONTENT_KINDS.has(m.kind) || typeof document === 'undefined') return
  const convs = useConversationsStore()
  const s = convs.byId[m.conversation_id]
  // A muted conversation never makes noise, except when it mentions me.
  if (s?.settings?.muted && !mentionsMe(m, useAuthStore().myId)) return
  const settings = useSettingsStore()
  const looking = !document.hidden && convs.activeId === m.conversation_id && convs.viewingActive
  if (looking) return
  if (settings.sound) chime()
  if (!document.hidden) return
  useNotifyPromptStore().arm({ decided: settings.notificationsDecided, enabled: settings.notifications, permission: currentPermission() })
  if (!settings.notifications || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  const who = useUsersStore().name(m.sender_id)
  const title = s?.conversation.type === 'group' ? `${convs.title(s)} · ${who}` : who
  const n = new Notification(title, { body: (m.kind === 'forward' ? '[…]' : plainPreview(m.text, useUsersStore().mentionNames(m.mentions))).slice(0, 140), tag: m.conversation_id })
  n.onclick = () => {
    window.focus()
    location.hash = ''
    window.dispatchEvent(new CustomEvent('parley:open-conversation', { detail: m.conversation_id }))
    n.close()
  }
}
