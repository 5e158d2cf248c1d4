import { onMounted, onUnmounted, ref, type Ref } from 'vue'
import { isEdgeSwipeBack, swipeProgress, type Point } from './gestures'

/** Go back when a finger swipes right from the left edge of `el` (while `enabled`). The
 * returned offset follows the finger, for the view to slide with it. */
export function useSwipeBack(el: Ref<HTMLElement | null>, enabled: () => boolean, back: () => void) {
  const offset = ref(0)
  let start: Point | null = null

  const onStart = (e: TouchEvent) => {
    const t = e.touches[0]
    start = enabled() && e.touches.length === 1 ? { x: t.clientX, y: t.clientY } : null
  }
  const onMove = (e: TouchEvent) => {
    const t = e.touches[0]
    if (start && t) offset.value = swipeProgress(start, { x: t.clientX, y: t.clientY }, window.innerWidth) * window.innerWidth
  }
  const onEnd = (e: TouchEvent) => {
    const t = e.changedTouches[0]
    const from = start
    start = null
    offset.value = 0
    if (from && t && isEdgeSwipeBack(from, { x: t.clientX, y: t.clientY })) back()
  }
  const onCancel = () => {
    start = null
    offset.value = 0
  }

  onMounted(() => {
    const node = el.value
    if (!node) return
    node.addEventListener('touchstart', onStart, { passive: true })
    node.addEventListener('touchmove', onMove, { passive: true })
    node.addEventListener('touchend', onEnd, { passive: true })
    node.addEventListener('touchcancel', onCancel, { passive: true })
  })
  onUnmounted(() => {
    const node = el.value
    node?.removeEventListener('touchstart', onStart)
    node?.removeEventListener('touchmove', onMove)
    node?.removeEventListener('touchend', onEnd)
    node?.removeEventListener('touchcancel', onCancel)
  })
  return { offset }
}
