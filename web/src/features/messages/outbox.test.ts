import { describe, expect, it } from 'vitest'
import type { PendingMessage } from './logic'
import { afterError, isTransient, nextToSend, waitingCount } from './outbox'

function p(id: string, status: PendingMessage['status']): PendingMessage {
  return { client_msg_id: id, conversation_id: 'c', text: id, reply_to: null, mentions: [], status, created_at: '' }
}

/** Play the queue the way the store does: take the next, answer it, repeat. */
function drain(queue: PendingMessage[], answer: (m: PendingMessage) => number): string[] {
  const wire: string[] = []
  for (let next = nextToSend(queue); next; next = nextToSend(queue)) {
    const sent = next
    queue = queue.map((x) => (x === sent ? { ...x, status: 'sending' as const } : x))
    wire.push(sent.client_msg_id)
    const status = answer(sent)
    if (status >= 200 && status < 300) queue = queue.filter((x) => x.client_msg_id !== sent.client_msg_id)
    else {
      queue = queue.map((x) => (x.client_msg_id === sent.client_msg_id ? { ...x, status: afterError(status) } : x))
      if (afterError(status) === 'queued') break // offline: wait for the connection
    }
  }
  return wire
}

describe('outbox', () => {
  it('sends what was written offline in order, one at a time, once back online', () => {
    let online = false
    let queue = [p('a', 'queued'), p('b', 'queued'), p('c', 'queued')]
    expect(drain(queue, () => (online ? 201 : 0))).toEqual(['a']) // a fails, b and c wait behind it
    queue = [p('a', 'queued'), p('b', 'queued'), p('c', 'queued')]
    online = true
    expect(drain(queue, () => 201)).toEqual(['a', 'b', 'c'])
  })

  it('never overtakes a send that is on its way', () => {
    expect(nextToSend([p('a', 'sending'), p('b', 'queued')])).toBeNull()
    expect(nextToSend([p('a', 'failed'), p('b', 'queued')])?.client_msg_id).toBe('b')
  })

  it('retries what the network lost and leaves what the server refused to the person', () => {
    expect([0, 408, 429, 500, 502, 503].map(isTransient)).toEqual([true, true, true, true, true, true])
    expect([400, 401, 403, 404, 409, 413, 422].some(isTransient)).toBe(false)
    const wire = drain([p('a', 'queued'), p('b', 'queued')], (m) => (m.client_msg_id === 'a' ? 403 : 201))
    expect(wire).toEqual(['a', 'b'])
  })

  it('counts the sends still to go', () => {
    expect(waitingCount([[p('a', 'queued'), p('b', 'failed')], [p('c', 'sending')]])).toBe(2)
  })
})
