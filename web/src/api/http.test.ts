import { describe, expect, it } from 'vitest'
import { OVERLOAD_RETRIES, overloadDelay, retryAfterMs } from './http'

describe('Retry-After', () => {
  it('reads Retry-After, bounded', () => {
    expect(retryAfterMs('2')).toBe(2000)
    expect(retryAfterMs(null)).toBe(1000)
    expect(retryAfterMs('soon')).toBe(1000)
    expect(retryAfterMs('3600')).toBe(30_000)
  })
})

describe('retrying an overloaded server', () => {
  it('waits as long as Retry-After says, spread by +-50%', () => {
    expect(overloadDelay(503, 'overloaded', '2', 0, () => 0)).toBe(1000)
    expect(overloadDelay(503, 'overloaded', '2', 0, () => 0.5)).toBe(2000)
    expect(overloadDelay(503, 'overloaded', '2', 1, () => 1)).toBe(3000)
  })

  it('falls back to 2 s without a usable Retry-After and caps a long one at 30 s', () => {
    expect(overloadDelay(503, 'overloaded', null, 0, () => 0.5)).toBe(2000)
    expect(overloadDelay(503, 'overloaded', 'soon', 0, () => 0.5)).toBe(2000)
    expect(overloadDelay(503, 'overloaded', '3600', 0, () => 0.5)).toBe(30000)
  })

  it('gives up after the last retry', () => {
    expect(overloadDelay(503, 'overloaded', '2', OVERLOAD_RETRIES - 1, () => 0.5)).toBe(2000)
    expect(overloadDelay(503, 'overloaded', '2', OVERLOAD_RETRIES, () => 0.5)).toBeNull()
  })

  it('does not retry other answers', () => {
    expect(overloadDelay(503, 'maintenance', '2', 0)).toBeNull()
    expect(overloadDelay(500, 'overloaded', '2', 0)).toBeNull()
    expect(overloadDelay(429, 'rate_limited', '2', 0)).toBeNull()
    expect(overloadDelay(200, undefined, null, 0)).toBeNull()
  })
})
