import { describe, expect, it } from 'vitest'
import { avatarErrorKey, avatarSrc, checkAvatarFile, clampView, cropRect, initialView, MAX_ZOOM, pan, zoomTo } from './avatar'

const wide = { w: 800, h: 400 }
const VIEW = 200

describe('choosing a picture', () => {
  it('takes images the server keeps and refuses the rest before sending', () => {
    expect(checkAvatarFile({ type: 'image/jpeg', size: 3_000_000 })).toBeNull()
    expect(checkAvatarFile({ type: 'application/pdf', size: 1000 })).toBe('not_an_image')
    expect(checkAvatarFile({ type: 'image/svg+xml', size: 1000 })).toBe('not_an_image')
    expect(checkAvatarFile({ type: 'image/png', size: 50 * 1024 * 1024 })).toBe('too_large')
  })

  it('words client and server refusals the same way', () => {
    expect(avatarErrorKey('not_an_image')).toBe('notImage')
    expect(avatarErrorKey('avatar_too_large')).toBe('tooLarge')
    expect(avatarErrorKey('image_too_large')).toBe('tooLarge')
    expect(avatarErrorKey('internal_error')).toBe('failed')
  })
})

describe('the square crop', () => {
  it('starts centred on the largest square', () => {
    const v = initialView(wide, VIEW)
    expect(cropRect(wide, VIEW, v)).toEqual({ x: 200, y: 0, size: 400 })
  })

  it('pans within the image and never shows past its edges', () => {
    const v = initialView(wide, VIEW)
    expect(cropRect(wide, VIEW, pan(wide, VIEW, v, 1000, 1000))).toEqual({ x: 0, y: 0, size: 400 })
    expect(cropRect(wide, VIEW, pan(wide, VIEW, v, -1000, 0))).toEqual({ x: 400, y: 0, size: 400 })
  })

  it('zooms around the centre of the viewport, within bounds', () => {
    const v = zoomTo(wide, VIEW, initialView(wide, VIEW), 2)
    expect(cropRect(wide, VIEW, v)).toEqual({ x: 300, y: 100, size: 200 })
    expect(zoomTo(wide, VIEW, v, 99).zoom).toBe(MAX_ZOOM)
    expect(clampView(wide, VIEW, { zoom: 0.1, offset: { x: 5, y: 5 } })).toEqual({ zoom: 1, offset: { x: 0, y: 0 } })
  })

  it('crops a tall picture too', () => {
    const tall = { w: 300, h: 900 }
    expect(cropRect(tall, VIEW, initialView(tall, VIEW))).toEqual({ x: 0, y: 300, size: 300 })
  })
})

describe('loading a picture', () => {
  it('asks for the smallest rendition that is sharp on this screen', () => {
    expect(avatarSrc('/api/v1/avatars/f', 36)).toBe('/api/v1/avatars/f?size=64')
    expect(avatarSrc('/api/v1/avatars/f', 36, 2)).toBe('/api/v1/avatars/f?size=128')
    expect(avatarSrc('/api/v1/avatars/f', 64, 3)).toBe('/api/v1/avatars/f?size=256')
  })
})
