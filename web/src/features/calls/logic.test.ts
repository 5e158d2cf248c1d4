import { describe, expect, it } from 'vitest'
import { feedChanges, formatDuration, linkStats, quality, recordText, rtcConfig, stageFeed, tileOrder, type MeetingParticipant } from './logic'

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

describe('network quality', () => {
  it('grades loss and delay', () => {
    expect(quality({ rtt: null, lost: 0, received: 0 })).toBe('unknown')
    expect(quality({ rtt: 0.03, lost: 0, received: 500 })).toBe('good')
    expect(quality({ rtt: 0.3, lost: 0, received: 500 })).toBe('fair')
    expect(quality({ rtt: 0.03, lost: 20, received: 480 })).toBe('fair')
    expect(quality({ rtt: 0.03, lost: 80, received: 420 })).toBe('poor')
    expect(quality({ rtt: 0.9, lost: 0, received: 500 })).toBe('poor')
  })

  it('reads the selected pair and the packets since the last sample from getStats', () => {
    const report = [
      { type: 'candidate-pair', nominated: false, state: 'waiting', currentRoundTripTime: 2 },
      { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.04 },
      { type: 'inbound-rtp', kind: 'audio', packetsLost: 3, packetsReceived: 300 },
      { type: 'inbound-rtp', kind: 'video', packetsLost: 7, packetsReceived: 700 },
    ]
    const { stats, totals } = linkStats(report, { lost: 0, received: 500 })
    expect(stats).toEqual({ rtt: 0.04, lost: 10, received: 500 })
    expect(totals).toEqual({ lost: 10, received: 1000 })
  })
})

describe('rtcConfig', () => {
  const turn = { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1:u', credential: 'p' }

  it('keeps media on TURN relays when the server asks for relay only', () => {
    expect(rtcConfig({ ice_servers: [turn], ttl_seconds: 60, ice_transport_policy: 'relay' })).toEqual({
      iceServers: [turn],
      iceTransportPolicy: 'relay',
    })
  })

  it('allows direct paths otherwise', () => {
    expect(rtcConfig({ ice_servers: [], ttl_seconds: 60, ice_transport_policy: 'all' }).iceTransportPolicy).toBe('all')
  })
})

describe('meetings', () => {
  const p = (user: string, feed: number, at: string, extra: Partial<MeetingParticipant> = {}): MeetingParticipant => ({
    user_id: user, device: 'd', feed_id: feed, joined_at: at, hand_raised: false, muted_by_host: false, sharing: false, ...extra,
  })

  it('records a group call with how many took part', () => {
    const r = recordText({ kind: 'group', participant_ids: ['a', 'b', 'c'], media: 'video', caller_id: 'a', callee_id: '', outcome: 'completed', duration_seconds: 61 }, (id) => id, (m) => m)
    expect(r).toEqual({ key: 'calls.record.group', params: { media: 'video', caller: 'a', duration: '1:01', count: '3' } })
  })

  it('shows a shared screen large, and raised hands first', () => {
    const ps = [p('a', 1, '2026-01-01T00:00:01'), p('b', 2, '2026-01-01T00:00:02', { hand_raised: true }), p('c', 3, '2026-01-01T00:00:03', { sharing: true })]
    expect(stageFeed(ps)).toBe(3)
    expect(stageFeed(ps.slice(0, 2))).toBeNull()
    expect(tileOrder(ps).map((x) => x.user_id)).toEqual(['b', 'a', 'c'])
  })

  it('subscribes to new feeds (never its own) and drops the gone ones', () => {
    expect(feedChanges([1, 2, 3], [2, 4], 1)).toEqual({ add: [3], drop: [4] })
  })
})
