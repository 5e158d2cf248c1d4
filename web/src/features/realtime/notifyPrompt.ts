// Offering desktop notifications once, at the moment they would have helped: a message
// arrived while the tab was hidden. Browsers ask for permission only from a user gesture,
// so the offer waits for the person to come back and is an in-app prompt they click.
import { defineStore } from 'pinia'
import { ref } from 'vue'

export type Permission = NotificationPermission | 'unsupported'

export interface PromptInputs {
  /** The person already decided (yes, no, or the switch in Settings): never ask again. */
  decided: boolean
  enabled: boolean
  permission: Permission
}

/** Whether a message arriving while the tab is hidden should lead to the offer. Not when
 * the browser cannot show notifications or has been told to block them (the prompt could
 * do nothing). */
export function shouldOffer({ decided, enabled, permission }: PromptInputs): boolean {
  return !decided && !enabled && permission !== 'denied' && permission !== 'unsupported'
}

export function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

/** Whether the offer is due (shown once the tab is visible again). */
export const useNotifyPromptStore = defineStore('notifyPrompt', () => {
  const due = ref(false)
  function arm(inputs: PromptInputs) {
    if (shouldOffer(inputs)) due.value = true
  }
  return { due, arm }
})
