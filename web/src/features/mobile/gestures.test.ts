import { describe, expect, it } from 'vitest'
import { EDGE, isEdgeSwipeBack, movedBeyond, swipeProgress, SWIPE_MIN } from './gestures'

describe('long press', () => {
  it('tolerates a finger resting unsteadily, not a scroll', () => {
    expect(movedBeyond({ x: 100, y: 100 }, { x: 104, y: 97 })).toBe(false)
    expect(movedBeyond({ x: 100, y: 100 }, { x: 100, y: 125 })).toBe(true)
    expect(movedBeyond({ x: 100, y: 100 }, { x: 92, y: 93 })).toBe(true)
  })
})

describe('edge swipe back', () => {
  it('goes back on a rightward swipe from the left edge', () => {
    expect(isEdgeSwipeBack({ x: 5, y: 400 }, { x: 5 + SWIPE_MIN + 10, y: 420 })).toBe(true)
    expect(isEdgeSwipeBack({ x: EDGE, y: 400 }, { x: 300, y: 400 })).toBe(true)
  })

  it('ignores swipes that start away from the edge (scrolling a code block, selecting)', () => {
    expect(isEdgeSwipeBack({ x: EDGE + 1, y: 400 }, { x: 300, y: 400 })).toBe(false)
  })

  it('ignores short, leftward and mostly vertical moves', () => {
    expect(isEdgeSwipeBack({ x: 5, y: 400 }, { x: 5 + SWIPE_MIN - 1, y: 400 })).toBe(false)
    expect(isEdgeSwipeBack({ x: 20, y: 400 }, { x: 2, y: 400 })).toBe(false)
    expect(isEdgeSwipeBack({ x: 5, y: 400 }, { x: 120, y: 600 })).toBe(false)
  })

  it('draws the page following the finger only for an edge swipe', () => {
    expect(swipeProgress({ x: 5, y: 0 }, { x: 200, y: 0 }, 390)).toBeCloseTo(0.5)
    expect(swipeProgress({ x: 5, y: 0 }, { x: 0, y: 0 }, 390)).toBe(0)
    expect(swipeProgress({ x: 100, y: 0 }, { x: 300, y: 0 }, 390)).toBe(0)
  })
})
