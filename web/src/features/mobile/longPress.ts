import type { Directive } from 'vue'
import { LONG_PRESS_MS, movedBeyond, type Point } from './gestures'

// `v-long-press="(at) => ..."`: a finger resting on the element opens what right-click
// opens on a desktop. Touch only (a mouse has its right button). The click that ends the
// press is swallowed, so the menu is not closed or the row toggled by the same finger.

type Handler = (at: Point) => void
interface State { handler: Handler; timer: ReturnType<typeof setTimeout> | null; start: Point | null; fired: boolean; off: () => void }
const states = new WeakMap<HTMLElement, State>()

function attach(el: HTMLElement, handler: Handler): State {
  const state: State = { handler, timer: null, start: null, fired: false, off: () => undefined }
  const cancel = () => {
    if (state.timer) clearTimeout(state.timer)
    state.timer = null
    state.start = null
  }
  const onStart = (e: TouchEvent) => {
    if (e.touches.length !== 1) return cancel()
    const t = e.touches[0]
    state.start = { x: t.clientX, y: t.clientY }
    state.fired = false
    state.timer = setTimeout(() => {
      state.timer = null
      if (!state.start) return
      state.fired = true
      state.handler(state.start)
    }, LONG_PRESS_MS)
  }
  const onMove = (e: TouchEvent) => {
    const t = e.touches[0]
    if (state.start && t && movedBeyond(state.start, { x: t.clientX, y: t.clientY })) cancel()
  }
  const onEnd = (e: TouchEvent) => {
    if (state.fired) e.preventDefault() // no click after the press
    state.fired = false
    cancel()
  }
  const onContextMenu = (e: Event) => {
    // Android fires its own contextmenu while the finger is down: one menu is enough.
    if (state.fired) {
      e.preventDefault()
      e.stopPropagation()
    }
  }
  el.addEventListener('touchstart', onStart, { passive: true })
  el.addEventListener('touchmove', onMove, { passive: true })
  el.addEventListener('touchend', onEnd)
  el.addEventListener('touchcancel', cancel)
  el.addEventListener('contextmenu', onContextMenu, true)
  state.off = () => {
    cancel()
    el.removeEventListener('touchstart', onStart)
    el.removeEventListener('touchmove', onMove)
    el.removeEventListener('touchend', onEnd)
    el.removeEventListener('touchcancel', cancel)
    el.removeEventListener('contextmenu', onContextMenu, true)
  }
  return state
}

export const vLongPress: Directive<HTMLElement, Handler> = {
  mounted(el, binding) {
    states.set(el, attach(el, binding.value))
  },
  updated(el, binding) {
    const s = states.get(el)
    if (s) s.handler = binding.value
  },
  unmounted(el) {
    states.get(el)?.off()
    states.delete(el)
  },
}
