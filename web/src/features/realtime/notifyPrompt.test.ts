import { describe, expect, it } from 'vitest'
import { shouldOffer } from './notifyPrompt'

describe('the notification offer', () => {
  it('is made to someone who has not decided, when the browser can still ask', () => {
    expect(shouldOffer({ decided: false, enabled: false, permission: 'default' })).toBe(true)
    // Allowed in the browser but off in Parley: turning it on needs no browser question.
    expect(shouldOffer({ decided: false, enabled: false, permission: 'granted' })).toBe(true)
  })

  it('is never made again after a decision, nor when it could do nothing', () => {
    expect(shouldOffer({ decided: true, enabled: false, permission: 'default' })).toBe(false)
    expect(shouldOffer({ decided: false, enabled: true, permission: 'granted' })).toBe(false)
    expect(shouldOffer({ decided: false, enabled: false, permission: 'denied' })).toBe(false)
    expect(shouldOffer({ decided: false, enabled: false, permission: 'unsupported' })).toBe(false)
  })
})
