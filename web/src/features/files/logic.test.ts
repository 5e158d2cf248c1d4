import { describe, expect, it } from 'vitest'
import type { FileRead } from './api'
import {
  chunk,
  commit,
  enqueue,
  fileGlyph,
  fitBox,
  formatDuration,
  formatSize,
  isBusy,
  markDone,
  markFailed,
  markProgress,
  markStarted,
  nextToStart,
  percent,
  pickVoiceMime,
  readyFiles,
  removeItem,
  requeue,
  scaleWaveform,
  voiceBars,
  voiceFileName,
  type UploadItem,
} from './logic'

function stored(id: string, extra: Partial<FileRead> = {}): FileRead {
  return {
    id, name: `${id}.png`, kind: 'image', mime: 'image/png', size: 100, preview: 'image', url: `/api/v1/files/${id}`,
    uploader_id: 'me', created_at: '2024-01-01T00:00:00Z', ...extra,
  } as FileRead
}

function queue(n: number, cid = 'c1', size = 1000): UploadItem[] {
  return enqueue([], Array.from({ length: n }, (_, i) => ({ key: `k${i}`, conversationId: cid, name: `f${i}`, size })))
}

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [10 * 1024, '10 KB'],
    [1024 * 1024 - 1, '1.0 MB'],
    [5.25 * 1024 * 1024, '5.3 MB'],
    [100 * 1024 * 1024, '100 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
    [2 * 1024 ** 5, '2048 TB'],
  ])('%d bytes -> %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text)
  })

  it('refuses nonsense', () => {
    expect(formatSize(-1)).toBe('—')
    expect(formatSize(Number.NaN)).toBe('—')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_400, '0:07'],
    [65_000, '1:05'],
    [3_723_000, '1:02:03'],
    [null, '0:00'],
    [-5, '0:00'],
  ])('%s ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('scaleWaveform', () => {
  it('keeps the shape and scales the loudest bar to full height', () => {
    expect(scaleWaveform([0, 25, 50], 3, 0)).toEqual([0, 0.5, 1])
  })

  it('takes the loudest slice of each group when narrowing 64 slices to fewer bars', () => {
    const peaks = Array.from({ length: 64 }, (_, i) => (i === 10 ? 80 : 20))
    const bars = scaleWaveform(peaks, 16, 0)
    expect(bars).toHaveLength(16)
    expect(bars[2]).toBe(1) // slices 8..11 hold the peak
    expect(bars.filter((b) => b === 1)).toHaveLength(1)
    expect(bars[0]).toBeCloseTo(0.25)
  })

  it('stretches a short summary over more bars', () => {
    const bars = scaleWaveform([10, 100], 6, 0)
    expect(bars).toEqual([0.1, 0.1, 0.1, 1, 1, 1])
  })

  it('never draws below the floor, even for silence or a missing waveform', () => {
    expect(scaleWaveform([0, 0, 0], 3)).toEqual([0.12, 0.12, 0.12])
    expect(scaleWaveform(null, 4, 0.2)).toEqual([0.2, 0.2, 0.2, 0.2])
    expect(Math.min(...scaleWaveform([1, 100, 3, 0], 4))).toBe(0.12)
  })

  it('clamps values outside 0-100', () => {
    expect(scaleWaveform([-10, 250, 50], 3, 0)).toEqual([0, 1, 0.5])
  })

  it('draws wider for longer notes, within bounds', () => {
    expect(voiceBars(1000)).toBe(21)
    expect(voiceBars(0)).toBe(20)
    expect(voiceBars(10 * 60_000)).toBe(48)
    expect(voiceBars(10_000)).toBeGreaterThan(voiceBars(3_000))
  })
})

describe('the upload queue', () => {
  it('starts at most `limit` uploads, oldest first', () => {
    let q = queue(5)
    expect(nextToStart(q, 3)).toEqual(['k0', 'k1', 'k2'])
    q = markStarted(markStarted(q, 'k0'), 'k1')
    expect(nextToStart(q, 3)).toEqual(['k2'])
    q = markDone(q, 'k0', stored('a'))
    expect(nextToStart(q, 3)).toEqual(['k2', 'k3'])
  })

  it('only moves progress forward and within the size', () => {
    let q = markStarted(queue(1), 'k0')
    q = markProgress(q, 'k0', 400)
    q = markProgress(q, 'k0', 300) // a late event
    expect(q[0].loaded).toBe(400)
    q = markProgress(q, 'k0', 5000)
    expect(q[0].loaded).toBe(1000)
    expect(percent(q[0])).toBe(100)
    expect(percent({ loaded: 333, size: 1000, status: 'uploading' })).toBe(33)
    expect(percent({ loaded: 0, size: 0, status: 'done' })).toBe(100)
  })

  it('ignores progress for items not uploading (cancelled, failed)', () => {
    const q = markFailed(markStarted(queue(1), 'k0'), 'k0', 'network_error')
    expect(markProgress(q, 'k0', 500)[0].loaded).toBe(0)
  })

  it('fails, retries from zero, and is busy meanwhile', () => {
    let q = markProgress(markStarted(queue(1), 'k0'), 'k0', 600)
    expect(isBusy(q, 'c1')).toBe(true)
    q = markFailed(q, 'k0', 'file_too_large')
    expect(q[0]).toMatchObject({ status: 'failed', error: 'file_too_large' })
    expect(isBusy(q, 'c1')).toBe(false)
    expect(nextToStart(q, 3)).toEqual([])
    q = requeue(q, 'k0')
    expect(q[0]).toMatchObject({ status: 'queued', loaded: 0, error: undefined })
    expect(nextToStart(q, 3)).toEqual(['k0'])
  })

  it('cancel removes the item and frees its slot', () => {
    let q = markStarted(markStarted(queue(3), 'k0'), 'k1')
    expect(nextToStart(q, 2)).toEqual([])
    q = removeItem(q, 'k0')
    expect(q.map((i) => i.key)).toEqual(['k1', 'k2'])
    expect(nextToStart(q, 2)).toEqual(['k2'])
  })

  it('keeps conversations apart', () => {
    let q = [...queue(1, 'c1'), ...enqueue([], [{ key: 'x', conversationId: 'c2', name: 'x', size: 1 }])]
    q = markDone(markDone(q, 'k0', stored('a')), 'x', stored('b'))
    expect(readyFiles(q, 'c1').map((f) => f.id)).toEqual(['a'])
    expect(readyFiles(q, 'c2').map((f) => f.id)).toEqual(['b'])
  })

  it('commit takes the stored files in order and makes the rest follow by themselves', () => {
    let q = queue(4)
    q = markDone(q, 'k2', stored('c'))
    q = markDone(q, 'k0', stored('a'))
    q = markStarted(q, 'k1')
    q = markFailed(q, 'k3', 'network_error')
    const { items, files } = commit(q, 'c1')
    expect(files.map((f) => f.id)).toEqual(['a', 'c'])
    expect(items.map((i) => [i.key, i.status, i.autoSend])).toEqual([
      ['k1', 'uploading', true],
      ['k3', 'failed', false],
    ])
    expect(readyFiles(items, 'c1')).toEqual([])
  })

  it('commit takes at most what one message carries', () => {
    let q = queue(25)
    for (const i of q) q = markDone(q, i.key, stored(i.key))
    const first = commit(q, 'c1')
    expect(first.files).toHaveLength(20)
    expect(readyFiles(first.items, 'c1')).toHaveLength(5)
  })

  it('voice uploads (autoSend) are never taken by a text message', () => {
    let q = enqueue([], [{ key: 'v', conversationId: 'c1', name: 'voice.webm', size: 10, autoSend: true }])
    q = markDone(q, 'v', stored('v', { kind: 'voice' }))
    expect(readyFiles(q, 'c1')).toEqual([])
    expect(commit(q, 'c1').files).toEqual([])
  })

  it('chunks large batches', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 20)).toEqual([])
  })
})

describe('helpers', () => {
  it('fits images into a box without upscaling', () => {
    expect(fitBox(4000, 3000, 240, 240)).toEqual({ width: 240, height: 180 })
    expect(fitBox(100, 50, 240, 240)).toEqual({ width: 100, height: 50 })
    expect(fitBox(3000, 10, 240, 240)).toEqual({ width: 240, height: 48 }) // a thin strip stays visible
    expect(fitBox(null, null, 240, 200)).toEqual({ width: 200, height: 200 })
  })

  it('picks Opus in WebM, then Ogg, then whatever the browser has', () => {
    expect(pickVoiceMime(() => true)).toBe('audio/webm;codecs=opus')
    expect(pickVoiceMime((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus')
    expect(pickVoiceMime(() => false)).toBe('')
  })

  it('names recordings by time and container', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5)
    expect(voiceFileName('audio/webm;codecs=opus', at)).toBe('voice-20240102-030405.webm')
    expect(voiceFileName('audio/ogg;codecs=opus', at)).toBe('voice-20240102-030405.ogg')
  })

  it('chooses icons by detected type, then extension', () => {
    expect(fileGlyph({ mime: 'application/pdf', name: 'x.bin' })).toBe('pdf')
    expect(fileGlyph({ mime: 'application/zip', name: '报告.docx' })).toBe('doc')
    expect(fileGlyph({ mime: 'text/plain', name: 'main.py' })).toBe('code')
    expect(fileGlyph({ mime: 'text/plain', name: 'README' })).toBe('text')
    expect(fileGlyph({ mime: 'application/octet-stream', name: 'blob' })).toBe('file')
  })
})
