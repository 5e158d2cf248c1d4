import { describe, expect, it } from 'vitest'
import { formatDuration, recordText } from './logic'

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours when there are any', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(3725)).toBe('1:02:05')
    expect(formatDuration(-3)).toBe('0:00')
  })
})

describe('recordText', () => {
  const name = (id: string) => ({ a: 'Alice', b: 'Bob' })[id] ?? id
  const media = (m: string) => (m === 'audio' ? 'Voice' : 'Video')
  const base = { media: 'video' as const, caller_id: 'a', callee_id: 'b', duration_seconds: 0 }

  it('names the caller of a missed call', () => {
    expect(recordText({ ...base, outcome: 'missed' }, name, media)).toEqual({
      key: 'calls.record.missed',
      params: { media: 'Video', caller: 'Alice', duration: '0:00' },
    })
  })

  it('gives the talk time of a completed call, and falls back for unknown outcomes', () => {
    const done = recordText({ ...base, media: 'audio', outcome: 'completed', duration_seconds: 90 }, name, media)
    expect(done.key).toBe('calls.record.completed')
    expect(done.params.duration).toBe('1:30')
    expect(done.params.media).toBe('Voice')
    expect(recordText({ ...base, outcome: 'strange' }, name, media).key).toBe('calls.record.completed')
  })
})
