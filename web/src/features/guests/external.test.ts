import { describe, expect, it } from 'vitest'
import { isExternalConversation } from './external'

const guests = new Set(['g1'])
const isGuest = (id: string) => guests.has(id)

describe('the External badge of a conversation', () => {
  it('marks a group the server marks external', () => {
    expect(isExternalConversation({ conversation: { type: 'group' }, external: true, peer_id: null }, isGuest)).toBe(true)
    expect(isExternalConversation({ conversation: { type: 'group' }, external: false, peer_id: null }, isGuest)).toBe(false)
  })
  it('marks a direct chat with a guest, not one with an employee', () => {
    expect(isExternalConversation({ conversation: { type: 'direct' }, external: false, peer_id: 'g1' }, isGuest)).toBe(true)
    expect(isExternalConversation({ conversation: { type: 'direct' }, external: false, peer_id: 'u2' }, isGuest)).toBe(false)
  })
})
