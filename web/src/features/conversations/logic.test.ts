import { describe, expect, it } from 'vitest'
import type { ConversationSummary, Message, SyncResponse } from '@/api/types'
import {
  advanceCursor, applyMessageToSummary, applyReadToSummary, applySettingsToSummary, applySyncPage, hasGap, sortSummaries,
} from './logic'

const ME = 'me'
function msg(cid: string, seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `${cid}-m${seq}`, conversation_id: cid, seq, sender_id: 'bob', kind: 'text', text: 'hi', client_msg_id: null,
    reply_to: null, mentions: [], mention_all: false, system: null, recalled: false, reactions: [],
    created_at: new Date(Date.UTC(2026, 0, 1, 10, 0, seq)).toISOString(), ...over,
  }
}
function summary(id: string, lastSeq: number, over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    conversation: {
      id, type: 'group', name: id, topic: '', announcement: '', admins_only: false, last_seq: lastSeq,
      invite_role: 'admin', mention_all_role: 'member', pin_role: 'admin', edit_info_role: 'admin',
      join_approval: false, max_members: null, history_visible: false,
      last_activity_at: new Date(Date.UTC(2026, 0, 1, 9)).toISOString(), created_by: ME, created_at: '2026-01-01T00:00:00Z',
    },
    role: 'member', settings: { muted: false, pinned: false, archived: false, draft: '' }, peer_id: null, external: false, last_read_seq: lastSeq, unread_count: 0, mentioned: false, last_message: null, ...over,
  }
}

describe('unread counting', () => {
  it('counts each new message once, even if it arrives twice', () => {
    let s = summary('a', 3)
    const m = msg('a', 4)
    s = applyMessageToSummary(s, m, ME, false)
    s = applyMessageToSummary(s, m, ME, false)
    expect(s.unread_count).toBe(1)
    expect(s.conversation.last_seq).toBe(4)
    expect(s.last_message?.id).toBe(m.id)
  })

  it('does not count my own messages, system entries, or what I am looking at', () => {
    let s = summary('a', 3)
    s = applyMessageToSummary(s, msg('a', 4, { kind: 'system' }), ME, false)
    s = applyMessageToSummary(s, msg('a', 5), ME, true)
    expect(s.unread_count).toBe(0)
    s = applyMessageToSummary(s, msg('a', 6), ME, false)
    s = applyMessageToSummary(s, msg('a', 7, { sender_id: ME }), ME, false)
    expect(s.unread_count).toBe(0) // sending moves my read cursor
    expect(s.last_read_seq).toBe(7)
  })

  it('counts a missed call from someone else, not other call records', () => {
    const call = (outcome: string) => ({ event: 'call', outcome, media: 'video', caller_id: 'bob', callee_id: ME })
    let s = summary('a', 3)
    s = applyMessageToSummary(s, msg('a', 4, { kind: 'system', text: '', system: call('completed') }), ME, false)
    s = applyMessageToSummary(s, msg('a', 5, { kind: 'system', text: '', system: call('declined') }), ME, false)
    expect(s.unread_count).toBe(0)
    s = applyMessageToSummary(s, msg('a', 6, { kind: 'system', text: '', system: call('missed') }), ME, false)
    expect(s.unread_count).toBe(1)
  })

  it('marks @ mentions of me or of everyone until read', () => {
    let s = summary('a', 1)
    s = applyMessageToSummary(s, msg('a', 2, { mentions: ['someone'] }), ME, false)
    expect(s.mentioned).toBe(false)
    s = applyMessageToSummary(s, msg('a', 3, { mentions: [ME] }), ME, false)
    expect(s.mentioned).toBe(true)
    s = applyReadToSummary(s, 3, ME, null)
    expect(s).toMatchObject({ mentioned: false, unread_count: 0, last_read_seq: 3 })
    s = applyMessageToSummary(s, msg('a', 4, { mention_all: true }), ME, false)
    expect(s.mentioned).toBe(true)
  })

  it('recounts from loaded messages when read partway', () => {
    let s = summary('a', 0)
    const loaded = [1, 2, 3, 4].map((i) => msg('a', i))
    for (const m of loaded) s = applyMessageToSummary(s, m, ME, false)
    expect(s.unread_count).toBe(4)
    s = applyReadToSummary(s, 2, ME, loaded)
    expect(s.unread_count).toBe(2)
    expect(applyReadToSummary(s, 1, ME, loaded)).toBe(s) // a cursor never moves back
  })
})

describe('sync pages', () => {
  const page = (over: Partial<SyncResponse>): SyncResponse => ({ events: [], conversations: [], removed: [], next_cursors: {}, has_more: false, ...over })

  it('folds consecutive pages into cursors and groups events by conversation', () => {
    const cursors = { a: 1, b: 5 }
    const first = applySyncPage(cursors, page({ events: [msg('a', 2), msg('a', 3)], next_cursors: { a: 3, b: 5 }, has_more: true }))
    expect(first.cursors).toEqual({ a: 3, b: 5 })
    expect(first.events.get('a')?.map((m) => m.seq)).toEqual([2, 3])
    const second = applySyncPage(first.cursors, page({ events: [msg('a', 4), msg('b', 6)], next_cursors: { a: 4, b: 6 } }))
    expect(second.cursors).toEqual({ a: 4, b: 6 })
    expect([...second.events.keys()].sort()).toEqual(['a', 'b'])
  })

  it('adds conversations new to the client at their last seq and drops removed ones', () => {
    const res = applySyncPage({ a: 1, gone: 3 }, page({ conversations: [summary('new', 9)], removed: ['gone'], next_cursors: { a: 1 } }))
    expect(res.cursors).toEqual({ a: 1, new: 9 })
    expect(res.removed).toEqual(['gone'])
  })

  it('never moves a cursor backwards', () => {
    const res = applySyncPage({ a: 7 }, page({ next_cursors: { a: 5 } }))
    expect(res.cursors.a).toBe(7)
  })
})

describe('gaps', () => {
  it('detects a lost frame and moves the cursor only over contiguous entries', () => {
    expect(hasGap(4, 5)).toBe(false)
    expect(hasGap(4, 7)).toBe(true)
    expect(advanceCursor(4, 5)).toBe(5)
    expect(advanceCursor(4, 7)).toBe(4)
    expect(advanceCursor(4, 3)).toBe(4)
  })
})

describe('ordering', () => {
  it('lists the most recent activity first', () => {
    const a = summary('a', 1)
    const b = { ...summary('b', 1), conversation: { ...summary('b', 1).conversation, last_activity_at: '2026-02-01T00:00:00Z' } }
    expect(sortSummaries([a, b]).map((s) => s.conversation.id)).toEqual(['b', 'a'])
  })
})

describe('change entries in the list', () => {
  it('move the cursor but are neither unread nor activity, and refresh the preview', () => {
    const last = msg('a', 3, { text: 'before' })
    const s = summary('a', 3, { last_message: last, last_read_seq: 3 })
    const edit = msg('a', 4, { kind: 'edit', text: '', target_id: last.id, target: { ...last, text: 'after', edited_at: '2026-01-01T11:00:00Z' } })
    const next = applyMessageToSummary(s, edit, ME, false)
    expect(next.conversation.last_seq).toBe(4)
    expect(next.unread_count).toBe(0)
    expect(next.conversation.last_activity_at).toBe(s.conversation.last_activity_at)
    expect(next.last_message?.text).toBe('after')
    expect(next.last_message?.id).toBe(last.id)
    expect(hasGap(3, edit.seq)).toBe(false)
  })

  it('a reaction on an older message leaves the preview alone', () => {
    const last = msg('a', 3)
    const s = summary('a', 3, { last_message: last })
    const older = msg('a', 1)
    const r = msg('a', 4, { kind: 'reaction', text: '', target_id: older.id, target: { ...older, reactions: [{ emoji: '👍', count: 1, user_ids: ['bob'] }] } })
    expect(applyMessageToSummary(s, r, ME, false).last_message).toBe(last)
  })
})

describe('conversation settings', () => {
  it('pinned conversations come first, then latest activity', () => {
    const old = summary('old', 1, { settings: { muted: false, pinned: true, archived: false, draft: '' } })
    const recent = summary('recent', 1)
    recent.conversation.last_activity_at = '2026-02-01T00:00:00Z'
    expect(sortSummaries([recent, old]).map((s) => s.conversation.id)).toEqual(['old', 'recent'])
  })

  it('are patched without losing the rest', () => {
    const s = applySettingsToSummary(summary('a', 1), { muted: true })
    expect(s.settings).toEqual({ muted: true, pinned: false, archived: false, draft: '' })
  })

  it('something new brings an archived conversation back', () => {
    const s = summary('a', 3, { settings: { muted: false, pinned: false, archived: true, draft: '' } })
    expect(applyMessageToSummary(s, msg('a', 4), ME, false).settings.archived).toBe(false)
  })
})

describe('being muted by a group admin', () => {
  const system = (event: string, userId: string, until?: string) =>
    msg('a', 4, { kind: 'system', sender_id: 'owner', text: '', system: { event, user_id: userId, until } })

  it('follows the mute and unmute entries about me, not about others', () => {
    const until = '2030-01-01T00:00:00+00:00'
    let s = applyMessageToSummary(summary('a', 3), system('member_muted', ME, until), ME, false)
    expect(s.muted_until).toBe(until)
    s = applyMessageToSummary(s, { ...system('member_muted', 'bob', until), seq: 5 }, ME, false)
    expect(s.muted_until).toBe(until)
    s = applyMessageToSummary(s, { ...system('member_unmuted', ME), seq: 6 }, ME, false)
    expect(s.muted_until).toBeNull()
  })
})
