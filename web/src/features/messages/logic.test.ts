import { describe, expect, it } from 'vitest'
import type { Message } from '@/api/types'
import {
  applyMessages, applyOlderPage, buildRows, canRecall, countUnread, emptyTimeline, mergeMessages, settlePending, toggleReaction,
  type PendingMessage,
} from './logic'
import { applyPinEntry } from './pins'

const ME = 'me'
const CID = 'c1'
let n = 0
function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversation_id: CID,
    seq,
    sender_id: 'bob',
    kind: 'text',
    text: `hello ${seq}`,
    client_msg_id: `cm-${seq}-${n++}`,
    reply_to: null,
    mentions: [],
    mention_all: false,
    system: null,
    recalled: false,
    reactions: [],
    created_at: new Date(Date.UTC(2026, 0, 1, 10, 0, seq)).toISOString(),
    ...over,
  }
}
function pending(id: string): PendingMessage {
  return { client_msg_id: id, conversation_id: CID, text: 'x', reply_to: null, mentions: [], status: 'sending', created_at: new Date().toISOString() }
}

describe('mergeMessages', () => {
  it('appends newer entries in order', () => {
    const out = mergeMessages([msg(1), msg(2)], [msg(4), msg(3)])
    expect(out.map((m) => m.seq)).toEqual([1, 2, 3, 4])
  })

  it('never shows an entry twice, whether it comes by id or by seq', () => {
    const list = [msg(1), msg(2), msg(3)]
    const out = mergeMessages(list, [msg(2), { ...msg(3), text: 'edited' }, msg(4)])
    expect(out.map((m) => m.seq)).toEqual([1, 2, 3, 4])
    expect(out[2].text).toBe('edited')
  })

  it('prepends an older page and interleaves a backfilled gap', () => {
    const live = [msg(10), msg(13)]
    const withGap = mergeMessages(live, [msg(11), msg(12)])
    expect(withGap.map((m) => m.seq)).toEqual([10, 11, 12, 13])
    const older = mergeMessages(withGap, [msg(7), msg(8), msg(9)])
    expect(older.map((m) => m.seq)).toEqual([7, 8, 9, 10, 11, 12, 13])
  })

  it('keeps the same array when nothing comes in', () => {
    const list = [msg(1)]
    expect(mergeMessages(list, [])).toBe(list)
  })
})

describe('pending sends', () => {
  it('are settled by the stored message with the same client_msg_id, and only mine', () => {
    const p = [pending('a'), pending('b')]
    const stored = [msg(5, { sender_id: ME, client_msg_id: 'a' }), msg(6, { sender_id: 'bob', client_msg_id: 'b' })]
    expect(settlePending(p, stored, ME).map((x) => x.client_msg_id)).toEqual(['b'])
  })

  it('a retry answered twice (ack and live frame) leaves one message and no pending', () => {
    let t = { ...emptyTimeline(), loaded: true, pending: [pending('x')] }
    const stored = msg(9, { sender_id: ME, client_msg_id: 'x' })
    t = applyMessages(t, [stored], ME)
    t = applyMessages(t, [{ ...stored }], ME) // the same entry again from message.new or sync
    expect(t.messages).toHaveLength(1)
    expect(t.pending).toHaveLength(0)
  })
})

describe('countUnread', () => {
  it('counts other people’s text messages after the cursor, like the server', () => {
    const list = [msg(1), msg(2, { sender_id: ME }), msg(3, { kind: 'system', sender_id: 'bob' }), msg(4), msg(5)]
    expect(countUnread(list, ME, 1)).toBe(2)
    expect(countUnread(list, ME, 5)).toBe(0)
    expect(countUnread(list, ME, 0)).toBe(3)
  })
})

describe('buildRows', () => {
  it('groups consecutive messages of one sender and separates days', () => {
    const day2 = new Date(Date.UTC(2026, 0, 2, 10)).toISOString()
    const t = { ...emptyTimeline(), loaded: true, messages: [msg(1), msg(2), msg(3, { sender_id: ME }), msg(4, { created_at: day2 })] }
    const rows = buildRows(t, ME, null)
    const kinds = rows.map((r) => (r.kind === 'message' ? `${r.message.seq}${r.first ? 'F' : ''}` : r.kind))
    expect(kinds).toEqual(['date', '1F', '2', '3F', 'date', '4F'])
  })

  it('puts the unread divider before the first unread message from someone else', () => {
    const t = { ...emptyTimeline(), loaded: true, messages: [msg(1), msg(2, { sender_id: ME }), msg(3), msg(4)] }
    const rows = buildRows(t, ME, 1)
    const i = rows.findIndex((r) => r.kind === 'unread')
    const next = rows[i + 1]
    expect(next.kind === 'message' && next.message.seq).toBe(3)
    expect(rows.filter((r) => r.kind === 'unread')).toHaveLength(1)
  })

  it('shows pending sends after stored ones', () => {
    const t = { ...emptyTimeline(), loaded: true, messages: [msg(1)], pending: [pending('p')] }
    expect(buildRows(t, ME, null).at(-1)?.kind).toBe('pending')
  })
})

function change(seq: number, kind: Message['kind'], target: Message, extra: Partial<Message> = {}): Message {
  return msg(seq, { kind, text: '', target_id: target.id, target, client_msg_id: null, ...extra })
}

describe('change entries', () => {
  const loaded = () => ({ ...emptyTimeline(), loaded: true })

  it('replace their target and are not shown themselves', () => {
    const m1 = msg(1)
    let t = applyMessages(loaded(), [m1, msg(2)], ME)
    t = applyMessages(t, [change(3, 'edit', { ...m1, text: 'fixed', edited_at: '2026-01-01T10:05:00Z' })], ME)
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2])
    expect(t.messages[0].text).toBe('fixed')
    expect(t.messages[0].edited_at).toBeTruthy()
  })

  it('a recall erases the text and the quotes of replies to it', () => {
    const m1 = msg(1, { text: 'secret' })
    const reply = msg(2, { reply_to: { id: m1.id, seq: 1, sender_id: 'bob', text: 'secret', recalled: false, hidden: false } })
    let t = applyMessages(loaded(), [m1, reply], ME)
    t = applyMessages(t, [change(3, 'recall', { ...m1, text: '', recalled: true, recalled_by: 'bob' })], ME)
    expect(t.messages[0].recalled).toBe(true)
    expect(t.messages[1].reply_to).toMatchObject({ recalled: true, text: '' })
  })

  it('an older change never undoes a newer one, and a stale page copy does not either', () => {
    const m1 = msg(1)
    let t = applyMessages(loaded(), [m1], ME)
    t = applyMessages(t, [change(5, 'edit', { ...m1, text: 'v2' })], ME)
    t = applyMessages(t, [change(4, 'edit', { ...m1, text: 'v1' })], ME) // late, from a sync page
    expect(t.messages[0].text).toBe('v2')
    t = applyMessages(t, [{ ...m1, text: 'original' }], ME) // a page fetched before the edit
    expect(t.messages[0].text).toBe('v2')
  })

  it('older pages start below the oldest entry taken in, shown or not', () => {
    const m10 = msg(10)
    let t = applyMessages(loaded(), [change(9, 'reaction', msg(3)), m10], ME)
    expect(t.oldestSeq).toBe(9)
    t = applyOlderPage(t, [change(8, 'pin', msg(2)), change(7, 'reaction', msg(1))], true, ME)
    expect(t.oldestSeq).toBe(7)
    expect(t.messages.map((m) => m.seq)).toEqual([10])
  })

  it('a timeline opened in the middle does not show live entries past its end', () => {
    let t = { ...applyMessages(loaded(), [msg(5), msg(6)], ME), hasMoreAfter: true }
    t = applyMessages(t, [msg(40)], ME)
    expect(t.messages.map((m) => m.seq)).toEqual([5, 6])
    t = applyMessages(t, [change(41, 'edit', { ...msg(6), text: 'edited' })], ME)
    expect(t.messages[1].text).toBe('edited')
  })
})

describe('reactions', () => {
  it('toggle mine on and off, keeping other people’s', () => {
    const m = msg(1, { reactions: [{ emoji: '👍', count: 1, user_ids: ['bob'] }] })
    const on = toggleReaction(m, '👍', ME)
    expect(on.on).toBe(true)
    expect(on.message.reactions).toEqual([{ emoji: '👍', count: 2, user_ids: ['bob', ME] }])
    const off = toggleReaction(on.message, '👍', ME)
    expect(off.on).toBe(false)
    expect(off.message.reactions).toEqual([{ emoji: '👍', count: 1, user_ids: ['bob'] }])
    const fresh = toggleReaction(m, '🎉', ME)
    expect(fresh.message.reactions?.map((r) => r.emoji)).toEqual(['👍', '🎉'])
    expect(toggleReaction(fresh.message, '🎉', ME).message.reactions?.map((r) => r.emoji)).toEqual(['👍'])
    expect(m.reactions).toEqual([{ emoji: '👍', count: 1, user_ids: ['bob'] }]) // not mutated
  })
})

describe('permissions shown in the menu', () => {
  it('recall: my own within the window, any as a group admin', () => {
    const now = Date.parse('2026-01-01T10:01:00Z')
    const mine = msg(1, { sender_id: ME, created_at: '2026-01-01T10:00:00Z' })
    expect(canRecall(mine, ME, false, 120_000, now)).toBe(true)
    expect(canRecall(mine, ME, false, 30_000, now)).toBe(false)
    expect(canRecall(msg(2), ME, false, 120_000, now)).toBe(false)
    expect(canRecall(msg(2), ME, true, 120_000, now)).toBe(true)
    expect(canRecall({ ...mine, recalled: true }, ME, true, 120_000, now)).toBe(false)
  })
})

describe('pins', () => {
  it('follow pin entries, newest first, and drop on unpin', () => {
    const a = msg(1)
    const b = msg(2)
    let pins = applyPinEntry([], change(3, 'pin', a, { change: { pinned: true } }))
    pins = applyPinEntry(pins, change(4, 'pin', b, { change: { pinned: true } }))
    expect(pins.map((p) => p.message.id)).toEqual([b.id, a.id])
    pins = applyPinEntry(pins, change(5, 'pin', a, { change: { pinned: false } }))
    expect(pins.map((p) => p.message.id)).toEqual([b.id])
  })
})
