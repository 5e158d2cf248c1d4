import { describe, expect, it } from 'vitest'
import { highlightSegments } from './highlight'

describe('search highlights', () => {
  it('splits a Chinese snippet at the matched words', () => {
    expect(highlightSegments('我们项目的进度怎么样', [[2, 4], [5, 7]])).toEqual([
      { text: '我们', hit: false },
      { text: '项目', hit: true },
      { text: '的', hit: false },
      { text: '进度', hit: true },
      { text: '怎么样', hit: false },
    ])
  })

  it('counts code points, so emoji before a match do not shift it', () => {
    expect(highlightSegments('🎉🎉 launch', [[3, 9]])).toEqual([
      { text: '🎉🎉 ', hit: false },
      { text: 'launch', hit: true },
    ])
  })

  it('survives overlapping, unordered and out-of-range ranges', () => {
    const segs = highlightSegments('abcdef', [[4, 99], [1, 3], [2, 4]])
    expect(segs.map((s) => s.text).join('')).toBe('abcdef')
    expect(segs.filter((s) => s.hit).map((s) => s.text)).toEqual(['bc', 'd', 'ef'])
  })

  it('keeps markup in the snippet as text', () => {
    const segs = highlightSegments('<img src=x onerror=alert(1)>', [[1, 4]])
    expect(segs[1]).toEqual({ text: 'img', hit: true })
  })
})
