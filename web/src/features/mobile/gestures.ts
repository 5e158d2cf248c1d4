// Touch gestures of the phone layout, as pure decisions over touch points so they can be
// tested without a screen: a long press opens a message's menu, and a swipe to the right
// that starts at the left edge goes back (as on iOS and in WeChat).

export interface Point { x: number; y: number }

/** How long a finger rests before it is a long press, and how far it may drift meanwhile. */
export const LONG_PRESS_MS = 500
export const LONG_PRESS_SLOP = 10

/** A swipe back starts this close to the left edge... */
export const EDGE = 28
/** ...travels at least this far to the right... */
export const SWIPE_MIN = 72
/** ...and mostly sideways (a vertical scroll that drifts right is not a swipe). */
export const SWIPE_MAX_SLOPE = 0.6

/** The finger moved too far for a long press (it is a scroll or a swipe). */
export function movedBeyond(start: Point, now: Point, slop = LONG_PRESS_SLOP): boolean {
  return Math.hypot(now.x - start.x, now.y - start.y) > slop
}

/** Whether a touch from `start` to `end` is the edge swipe that goes back. */
export function isEdgeSwipeBack(start: Point, end: Point): boolean {
  const dx = end.x - start.x
  const dy = Math.abs(end.y - start.y)
  return start.x <= EDGE && dx >= SWIPE_MIN && dy <= dx * SWIPE_MAX_SLOPE
}

/** Whether a swipe in progress should be drawn as the page following the finger. */
export function swipeProgress(start: Point, now: Point, width: number): number {
  if (start.x > EDGE || width <= 0) return 0
  return Math.max(0, Math.min(1, (now.x - start.x) / width))
}
