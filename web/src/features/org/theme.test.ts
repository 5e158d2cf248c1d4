import { describe, expect, it } from 'vitest'
import { contrast, parseHex, primaryVars } from './theme'

describe('brand theme', () => {
  it('derives the Element Plus primary palette from one colour', () => {
    const v = primaryVars('#E60012', false)
    expect(v['--el-color-primary']).toBe('#e60012')
    expect(v['--el-color-primary-light-9']).toBe('#fde6e7')
    expect(v['--el-color-primary-dark-2']).toBe('#b8000e')
    expect(v['--p-on-primary']).toBe('#ffffff')
  })

  it('mixes towards the dark background in the dark theme', () => {
    expect(primaryVars('#E60012', true)['--el-color-primary-light-9']).not.toBe(primaryVars('#E60012', false)['--el-color-primary-light-9'])
  })

  it('uses dark text on a very light brand colour', () => {
    expect(primaryVars('#FFE000', false)['--p-on-primary']).toBe('#1f2329')
  })

  it('falls back on a bad colour', () => {
    expect(primaryVars('red', false)['--el-color-primary']).toBe('#2e62e0')
    expect(parseHex('#12345')).toBeNull()
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 0)
  })
})
