import { describe, expect, it } from 'vitest'
import { invitationRequest, inviteLink } from './logic'

describe('a new invitation link', () => {
  const now = Date.UTC(2026, 0, 1)
  it('turns days into moments and empty limits into none', () => {
    const body = invitationRequest({ note: ' Acme ', validDays: 7, maxUses: null, groupIds: ['g'], accountDays: null }, now)
    expect(body).toEqual({
      note: 'Acme', expires_at: '2026-01-08T00:00:00.000Z', max_uses: null, group_ids: ['g'], account_expires_at: null,
    })
  })
  it('keeps a use count and an account expiry', () => {
    const body = invitationRequest({ note: '', validDays: 1, maxUses: 5, groupIds: [], accountDays: 30 }, now)
    expect(body.max_uses).toBe(5)
    expect(body.account_expires_at).toBe('2026-01-31T00:00:00.000Z')
  })
  it('makes the full link from the path', () => {
    expect(inviteLink('/invite/plt_x', 'https://chat.example.com')).toBe('https://chat.example.com/invite/plt_x')
  })
})
