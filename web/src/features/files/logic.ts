// Pure logic of files: the upload queue's state, sizes and durations for people, the
// waveform drawn from the server's summary, image boxes. Free of Vue and HTTP so the
// units cover it (logic.test.ts).
import type { FileRead } from './api'

// ---- sizes and durations ------------------------------------------------------------

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** 0 B, 999 B, 1.0 KB, 12 KB, 1.5 MB: binary steps (as file managers show them), one
 * decimal below 10 of a unit, none above. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${Math.round(bytes)} B`
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  // 1023.96 KB would round up to "1024 KB": show the next unit instead.
  if (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const text = value < 10 ? value.toFixed(1) : String(Math.round(value))
  return `${text} ${UNITS[unit]}`
}

/** 0:07, 1:05, 1:02:03 (milliseconds in, rounded down to the second). */
export function formatDuration(ms: number | null | undefined): string {
  const total = Math.max(0, Math.floor((ms ?? 0) / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

// ---- waveform ------------------------------------------------------------------------

/** The server's peaks (0-100, usually 64 of them) as `bars` heights in [floor, 1]: each bar
 * is the loudest of the slices it covers (or the nearest slice when there are fewer
 * slices than bars), scaled so the loudest bar is full height — a quiet recording still
 * draws a readable shape — and never below `floor`, so silence shows as a dotted line. */
export function scaleWaveform(peaks: readonly number[] | null | undefined, bars: number, floor = 0.12): number[] {
  const n = Math.max(1, Math.floor(bars))
  if (!peaks?.length) return Array.from({ length: n }, () => floor)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * peaks.length) / n)
    const end = Math.max(start + 1, Math.floor(((i + 1) * peaks.length) / n))
    let peak = 0
    for (let j = start; j < end && j < peaks.length; j++) peak = Math.max(peak, clamp(peaks[j], 0, 100))
    out.push(peak)
  }
  const loudest = Math.max(...out)
  return out.map((v) => (loudest > 0 ? Math.max(floor, v / loudest) : floor))
}

/** How many bars a voice message of this length gets: longer notes draw wider, within
 * bounds (WeChat-style). */
export function voiceBars(durationMs: number | null | undefined, min = 20, max = 48): number {
  const seconds = (durationMs ?? 0) / 1000
  return Math.round(clamp(min + seconds * 1.2, min, max))
}

// ---- images -------------------------------------------------------------------------

/** The size to show an image at inside `maxW` x `maxH`, keeping its aspect ratio and
 * never upscaling; very thin images keep a visible minimum. Unknown sizes get a square. */
export function fitBox(width: number | null | undefined, height: number | null | undefined, maxW = 240, maxH = 240, min = 48): { width: number; height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: Math.min(maxW, maxH), height: Math.min(maxW, maxH) }
  const scale = Math.min(1, maxW / width, maxH / height)
  return { width: Math.max(min, Math.round(width * scale)), height: Math.max(min, Math.round(height * scale)) }
}

/** The scale an image is shown at, in percent of its own pixels: fitted to the screen
 * (`fittedWidth`) and then zoomed (`zoom` 1 = fitted), so it reads 100% only when one
 * image pixel is one CSS pixel. Null when the image's width is not known. */
export function shownPercent(fittedWidth: number, zoom: number, naturalWidth: number | null | undefined): number | null {
  if (!naturalWidth || naturalWidth <= 0) return null
  return Math.round((fittedWidth * zoom * 100) / naturalWidth)
}

// ---- file types ---------------------------------------------------------------------

export type FileGlyph = 'pdf' | 'doc' | 'sheet' | 'slides' | 'archive' | 'code' | 'text' | 'image' | 'audio' | 'video' | 'file'

const BY_EXT: Record<string, FileGlyph> = {
  pdf: 'pdf',
  doc: 'doc', docx: 'doc', odt: 'doc', rtf: 'doc', pages: 'doc',
  xls: 'sheet', xlsx: 'sheet', ods: 'sheet', csv: 'sheet', numbers: 'sheet',
  ppt: 'slides', pptx: 'slides', odp: 'slides', key: 'slides',
  zip: 'archive', rar: 'archive', '7z': 'archive', gz: 'archive', tgz: 'archive', tar: 'archive', bz2: 'archive', xz: 'archive',
  js: 'code', ts: 'code', py: 'code', go: 'code', rs: 'code', java: 'code', c: 'code', h: 'code', cpp: 'code', cs: 'code',
  rb: 'code', php: 'code', sh: 'code', sql: 'code', json: 'code', yaml: 'code', yml: 'code', toml: 'code', xml: 'code',
  html: 'code', css: 'code', vue: 'code', kt: 'code', swift: 'code',
  txt: 'text', md: 'text', log: 'text',
}

/** Which icon a file card shows: by the detected type first, then the name's extension. */
export function fileGlyph(file: Pick<FileRead, 'mime' | 'name'>): FileGlyph {
  const mime = file.mime.toLowerCase()
  if (mime === 'application/pdf') return 'pdf'
  if (mime.startsWith('image/')) return 'image'
  if (mime.startsWith('audio/')) return 'audio'
  if (mime.startsWith('video/')) return 'video'
  const ext = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : ''
  if (BY_EXT[ext]) return BY_EXT[ext]
  if (mime.startsWith('text/')) return 'text'
  return 'file'
}

// ---- the upload queue -----------------------------------------------------------------

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed'

export interface UploadItem {
  /** Local key (the server id is only known once it is stored). */
  key: string
  conversationId: string
  name: string
  size: number
  loaded: number
  status: UploadStatus
  /** Sent by itself as soon as it is stored (voice messages, and files still uploading
   * when Send was pressed). */
  autoSend: boolean
  result?: FileRead
  error?: string
}

export interface NewUpload {
  key: string
  conversationId: string
  name: string
  size: number
  autoSend?: boolean
}

export function enqueue(items: readonly UploadItem[], added: readonly NewUpload[]): UploadItem[] {
  return [...items, ...added.map((a) => ({ ...a, autoSend: !!a.autoSend, loaded: 0, status: 'queued' as const }))]
}

function patch(items: readonly UploadItem[], key: string, fn: (i: UploadItem) => UploadItem): UploadItem[] {
  return items.map((i) => (i.key === key ? fn(i) : i))
}

export function markStarted(items: readonly UploadItem[], key: string): UploadItem[] {
  return patch(items, key, (i) => ({ ...i, status: 'uploading', loaded: 0, error: undefined }))
}

/** Progress events may arrive late or out of order: bytes only ever go up, to the size. */
export function markProgress(items: readonly UploadItem[], key: string, loaded: number): UploadItem[] {
  return patch(items, key, (i) => (i.status === 'uploading' ? { ...i, loaded: clamp(Math.max(i.loaded, loaded), 0, i.size) } : i))
}

export function markDone(items: readonly UploadItem[], key: string, result: FileRead): UploadItem[] {
  return patch(items, key, (i) => ({ ...i, status: 'done', loaded: i.size, result, error: undefined }))
}

export function markFailed(items: readonly UploadItem[], key: string, error: string): UploadItem[] {
  return patch(items, key, (i) => ({ ...i, status: 'failed', error }))
}

export function requeue(items: readonly UploadItem[], key: string): UploadItem[] {
  return patch(items, key, (i) => (i.status === 'failed' ? { ...i, status: 'queued', loaded: 0, error: undefined } : i))
}

export function removeItem(items: readonly UploadItem[], key: string): UploadItem[] {
  return items.filter((i) => i.key !== key)
}

/** Which queued uploads may start now, oldest first, with at most `limit` running. */
export function nextToStart(items: readonly UploadItem[], limit: number): string[] {
  const running = items.filter((i) => i.status === 'uploading').length
  return items
    .filter((i) => i.status === 'queued')
    .slice(0, Math.max(0, limit - running))
    .map((i) => i.key)
}

/** Stored files waiting in the composer to go with the next message, in the order added. */
export function readyFiles(items: readonly UploadItem[], conversationId: string): FileRead[] {
  return items.filter((i) => i.conversationId === conversationId && i.status === 'done' && !i.autoSend && i.result).map((i) => i.result!)
}

export function isBusy(items: readonly UploadItem[], conversationId: string): boolean {
  return items.some((i) => i.conversationId === conversationId && (i.status === 'queued' || i.status === 'uploading'))
}

/** Send pressed: the stored files leave the queue with the message (at most `max`, what a
 * message may carry; the rest wait for the next Send); those still on their way are
 * marked to follow by themselves once stored; failed ones stay for a retry. */
export function commit(items: readonly UploadItem[], conversationId: string, max = 20): { items: UploadItem[]; files: FileRead[] } {
  const taken = new Set(
    items.filter((i) => i.conversationId === conversationId && i.status === 'done' && !i.autoSend && i.result).slice(0, max).map((i) => i.key),
  )
  const files = items.filter((i) => taken.has(i.key)).map((i) => i.result!)
  const next = items
    .filter((i) => !taken.has(i.key))
    .map((i) => (i.conversationId === conversationId && (i.status === 'queued' || i.status === 'uploading') ? { ...i, autoSend: true } : i))
  return { items: next, files }
}

/** Share of the bytes sent, 0-100, for the progress bar. */
export function percent(item: Pick<UploadItem, 'loaded' | 'size' | 'status'>): number {
  if (item.status === 'done') return 100
  if (!item.size) return 0
  return Math.floor((100 * clamp(item.loaded, 0, item.size)) / item.size)
}

/** Messages carry at most `max` attachments: split a larger batch. */
export function chunk<T>(list: readonly T[], max = 20): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += max) out.push(list.slice(i, i + max))
  return out
}

// ---- recording ---------------------------------------------------------------------------

/** The recording format: Opus in WebM (Chromium, Firefox) or Ogg, whichever the browser
 * records; '' lets the browser choose. */
export function pickVoiceMime(isTypeSupported: (t: string) => boolean): string {
  for (const t of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg']) {
    if (isTypeSupported(t)) return t
  }
  return ''
}

export function voiceFileName(mime: string, at = new Date()): string {
  const ext = mime.includes('ogg') ? 'ogg' : mime.includes('mp4') ? 'm4a' : 'webm'
  const p = (n: number) => String(n).padStart(2, '0')
  return `voice-${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}.${ext}`
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}
