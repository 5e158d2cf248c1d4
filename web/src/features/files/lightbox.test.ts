import { describe, expect, it } from 'vitest'
import { fitBox, shownPercent } from './logic'

describe('the image viewer scale', () => {
  it('is the real scale of a photo fitted to the screen, not 100%', () => {
    const box = fitBox(4000, 3000, 1200, 720, 64) // a 12 MP photo on a laptop screen
    expect(shownPercent(box.width, 1, 4000)).toBe(24)
    expect(shownPercent(box.width, 1.25, 4000)).toBe(30)
  })

  it('is 100% for an image that fits as it is, and above for a tiny one shown larger', () => {
    expect(shownPercent(fitBox(800, 600, 1200, 720, 64).width, 1, 800)).toBe(100)
    expect(shownPercent(fitBox(32, 32, 1200, 720, 64).width, 1, 32)).toBe(200)
    expect(shownPercent(300, 1, null)).toBeNull()
  })
})
