import { describe, expect, it } from 'vitest'
import type { ConversationSummary, Message, User } from '@/api/types'
import { ApiError } from '@/api/http'
import { applyMessages, emptyTimeline } from '@/features/messages/logic'
import mobileMessages from '@/features/mobile/i18n'
import { isUnreachable, peopleIn, recentMessages, savedTimeline } from './snapshot'

function msg(seq: number, sender = 'bob', over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`, conversation_id: 'c1', seq, sender_id: sender, kind: 'text', text: `hello ${seq}`, client_msg_id: `cm${seq}`,
    reply_to: null, mentions: [], mention_all: false, system: null, recalled: false, reactions: [],
    created_at: new Date(Date.UTC(2026, 0, 1, 10, 0, seq)).toISOString(), ...over,
  } as Message
}
const user = (id: string) => ({ id, username: id, display_name: id.toUpperCase() }) as User
const summary = (id: string, peer: string | null, last: Message | null) =>
  ({ conversation: { id, type: peer ? 'direct' : 'group', last_seq: last?.seq ?? 0 }, peer_id: peer, last_message: last }) as unknown as ConversationSummary

describe('the offline copy', () => {
  it('keeps the most recent messages of an opened chat, in order', () => {
    const t = applyMessages({ ...emptyTimeline(), loaded: true }, Array.from({ length: 80 }, (_, i) => msg(i + 1)), 'me')
    const kept = recentMessages(t, 50)
    expect(kept.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 31))
  })

  it('reads back as a loaded timeline that knows whether older messages exist', () => {
    const t = savedTimeline([msg(31), msg(32)], 'me')
    expect(t.loaded).toBe(true)
    expect(t.hasMoreBefore).toBe(true)
    expect(t.messages.map((m) => m.seq)).toEqual([31, 32])
    expect(savedTimeline([msg(1), msg(2)], 'me').hasMoreBefore).toBe(false)
  })

  it('saves the people it shows, and only people this client knows', () => {
    const me = user('me')
    const known = { bob: user('bob'), carol: user('carol'), dave: user('dave') }
    const people = peopleIn(me, [summary('c1', 'bob', null), summary('c2', null, msg(9, 'carol'))], [[msg(1, 'erin')]], known)
    expect(people.map((u) => u.id).sort()).toEqual(['bob', 'carol', 'me'])
  })

  it('opens on the copy only when the server cannot be reached, not when it refuses', () => {
    expect(isUnreachable(new ApiError(0, 'network_error', 'Failed to fetch'))).toBe(true)
    expect(isUnreachable(new ApiError(502, 'http_502', 'Bad gateway'))).toBe(true)
    expect(isUnreachable(new ApiError(401, 'unauthorized', 'no'))).toBe(false)
    expect(isUnreachable(new ApiError(500, 'internal', 'no'))).toBe(false)
  })

  it('has every phone and offline text in both languages', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(mobileMessages['zh-CN']).sort()).toEqual(keys(mobileMessages.en).sort())
  })
})
