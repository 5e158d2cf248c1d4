import { computed, onUnmounted, ref, watch, type Ref } from 'vue'
import { useConversationsStore } from './store'

/** Until when a group admin muted me here (ISO time), or null; turns null by itself when
 * the mute ends, as the server's check does (no event marks the end). */
export function useMutedUntil(conversationId: Ref<string>) {
  const convs = useConversationsStore()
  const now = ref(Date.now())
  let timer: ReturnType<typeof setTimeout> | undefined
  const until = computed(() => convs.byId[conversationId.value]?.muted_until ?? null)
  watch(
    until,
    (u) => {
      clearTimeout(timer)
      now.value = Date.now()
      const left = u ? Date.parse(u) - now.value : 0
      if (left > 0) timer = setTimeout(() => (now.value = Date.now()), Math.min(left + 50, 2 ** 31 - 1))
    },
    { immediate: true },
  )
  onUnmounted(() => clearTimeout(timer))
  return computed(() => (until.value && Date.parse(until.value) > now.value ? until.value : null))
}
