import { describe, expect, it } from 'vitest'
import { computeOffsets, rowAt, visibleRange } from './virtual'

describe('virtual list geometry', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`)
  const offsets = computeOffsets(keys, (_k, i) => (i % 2 ? 40 : 60))

  it('sums heights into offsets', () => {
    expect(offsets[0]).toBe(0)
    expect(offsets[2]).toBe(100)
    expect(offsets[10_000]).toBe(500_000)
  })

  it('finds the row under a point', () => {
    expect(rowAt(offsets, 0)).toBe(0)
    expect(rowAt(offsets, 59)).toBe(0)
    expect(rowAt(offsets, 60)).toBe(1)
    expect(rowAt(offsets, 250_030)).toBe(5000)
    expect(rowAt(offsets, 10_000_000)).toBe(9999)
  })

  it('renders only what is near the viewport, however long the list', () => {
    const [start, end] = visibleRange(offsets, 250_000, 800, 400)
    expect(start).toBe(4992)
    expect(end - start).toBeLessThan(50)
    expect(visibleRange(computeOffsets([], () => 1), 0, 800, 400)).toEqual([0, 0])
  })
})
