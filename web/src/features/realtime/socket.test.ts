import { describe, expect, it } from 'vitest'
import { backoffDelay } from './socket'

describe('reconnect backoff', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffDelay(0, 1000, 30000, () => 0)).toBe(500)
    expect(backoffDelay(0, 1000, 30000, () => 1)).toBe(1000)
    expect(backoffDelay(3, 1000, 30000, () => 1)).toBe(8000)
    expect(backoffDelay(50, 1000, 30000, () => 1)).toBe(30000)
    expect(backoffDelay(50, 1000, 30000, () => 0)).toBe(15000)
  })
})
