import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ForwardCard, Message } from '@/api/types'

export interface MenuItem {
  cmd: string
  label: string
  divided?: boolean
  danger?: boolean
}

/** The message dialogs, mounted once (MessageDialogs.vue) and opened from anywhere. */
export const useMessageDialogsStore = defineStore('messageDialogs', () => {
  const forward = ref<{ conversationId: string; messageIds: string[]; onDone?: () => void } | null>(null)
  const card = ref<{ card: ForwardCard; title: string } | null>(null)
  const history = ref<{ conversationId: string; message: Message } | null>(null)
  /** The one message context menu (hover toolbar "more", right-click, context-menu key). */
  const menu = ref<{ x: number; y: number; items: MenuItem[]; pick: (cmd: string) => void; returnFocus?: HTMLElement | null } | null>(null)
  /** A person's profile card, opened from an avatar. */
  const profile = ref<{ userId: string; x: number; y: number; returnFocus?: HTMLElement | null } | null>(null)
  return { forward, card, history, menu, profile }
})
