// Profile pictures: checking the chosen file, the square crop (pan and zoom inside a square
// viewport) and which server rendition to load. Pure functions; the canvas work is in
// `cropToBlob`, the pointer handling in AvatarCropper.vue.

/** Types the server keeps as images (it sniffs the bytes again). */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']
/** Largest picture the browser is asked to decode for cropping. */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024
/** Side of the cropped picture that is uploaded (the server makes 64, 128 and 256 px). */
export const OUTPUT_PX = 512
export const RENDITIONS = [64, 128, 256] as const
export const MAX_ZOOM = 4

export type AvatarProblem = 'not_an_image' | 'too_large'

/** Why a chosen file cannot become a picture, before anything is decoded or sent. */
export function checkAvatarFile(file: { type: string; size: number }): AvatarProblem | null {
  if (!AVATAR_TYPES.includes(file.type)) return 'not_an_image'
  if (file.size > MAX_SOURCE_BYTES) return 'too_large'
  return null
}

export interface Size { w: number; h: number }
export interface Point { x: number; y: number }
/** What the viewport shows: the image scaled by `zoom` (1 = its shorter side fills the
 * viewport) with its top-left corner at `offset` (≤ 0: the image always covers it). */
export interface View { zoom: number; offset: Point }

function scale(image: Size, viewport: number, zoom: number): number {
  return (viewport / Math.min(image.w, image.h)) * zoom
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}

/** Keep the image covering the whole viewport. */
export function clampView(image: Size, viewport: number, view: View): View {
  const zoom = clamp(view.zoom, 1, MAX_ZOOM)
  const s = scale(image, viewport, zoom)
  return {
    zoom,
    offset: {
      x: clamp(view.offset.x, viewport - image.w * s, 0),
      y: clamp(view.offset.y, viewport - image.h * s, 0),
    },
  }
}

/** The starting view: zoom 1, centred. */
export function initialView(image: Size, viewport: number): View {
  const s = scale(image, viewport, 1)
  return clampView(image, viewport, { zoom: 1, offset: { x: (viewport - image.w * s) / 2, y: (viewport - image.h * s) / 2 } })
}

/** Drag by (dx, dy) screen pixels. */
export function pan(image: Size, viewport: number, view: View, dx: number, dy: number): View {
  return clampView(image, viewport, { zoom: view.zoom, offset: { x: view.offset.x + dx, y: view.offset.y + dy } })
}

/** Change the zoom keeping the viewport's centre on the same point of the image. */
export function zoomTo(image: Size, viewport: number, view: View, zoom: number): View {
  const before = scale(image, viewport, view.zoom)
  const next = clamp(zoom, 1, MAX_ZOOM)
  const after = scale(image, viewport, next)
  const c = viewport / 2
  const ix = (c - view.offset.x) / before
  const iy = (c - view.offset.y) / before
  return clampView(image, viewport, { zoom: next, offset: { x: c - ix * after, y: c - iy * after } })
}

/** The square of the source image (in its own pixels) that the viewport shows. */
export function cropRect(image: Size, viewport: number, view: View): { x: number; y: number; size: number } {
  const s = scale(image, viewport, view.zoom)
  const size = Math.min(viewport / s, image.w, image.h)
  return {
    x: clamp(-view.offset.x / s, 0, image.w - size),
    y: clamp(-view.offset.y / s, 0, image.h - size),
    size,
  }
}

/** The URL of the smallest rendition that is sharp at `cssPx` on this screen. */
export function avatarSrc(url: string, cssPx: number, dpr = 1): string {
  const need = cssPx * dpr
  const size = RENDITIONS.find((r) => r >= need) ?? RENDITIONS[RENDITIONS.length - 1]
  return `${url}?size=${size}`
}

/** Draw the crop to a square canvas and encode it (PNG keeps transparency). */
export function cropToBlob(img: CanvasImageSource, rect: { x: number; y: number; size: number }, out = OUTPUT_PX): Promise<Blob> {
  const side = Math.min(out, Math.round(rect.size)) || out
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = side
  const ctx = canvas.getContext('2d')
  if (!ctx) return Promise.reject(new Error('canvas unavailable'))
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(img, rect.x, rect.y, rect.size, rect.size, 0, 0, side, side)
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/png'))
}

/** The i18n key (under `avatar.errors`) for a refusal, from the client's check or the
 * server's problem code. */
export function avatarErrorKey(code: string): string {
  switch (code) {
    case 'not_an_image':
    case 'unsupported_media_type':
      return 'notImage'
    case 'too_large':
    case 'avatar_too_large':
    case 'file_too_large':
    case 'image_too_large':
      return 'tooLarge'
    default:
      return 'failed'
  }
}
