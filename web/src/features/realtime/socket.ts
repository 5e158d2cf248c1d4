// The WebSocket as an explicit state machine: idle -> connecting -> open -> (closed ->
// waiting -> connecting ...). Reconnects with exponential backoff and jitter; the caller
// syncs on every `hello`, so nothing is lost across a reconnect.

export type SocketState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped'

export interface Frame {
  type: string
  [key: string]: unknown
}

export interface SocketOptions {
  url: () => string
  onFrame: (frame: Frame) => void
  onState: (state: SocketState, retryAt: number | null) => void
  /** The server refused our credentials: stop, do not retry. */
  onAuthFailure: (code: string) => void
  baseDelayMs?: number
  maxDelayMs?: number
}

const CLOSE_AUTH = 4001

export function backoffDelay(attempt: number, base = 1000, max = 30000, random = Math.random): number {
  const exp = Math.min(max, base * 2 ** Math.min(attempt, 16))
  return Math.round(exp / 2 + (random() * exp) / 2)
}

export class RealtimeSocket {
  private ws: WebSocket | null = null
  private state: SocketState = 'idle'
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private opts: SocketOptions) {}

  get current(): SocketState {
    return this.state
  }

  start() {
    if (this.state === 'connecting' || this.state === 'open') return
    this.connect()
  }

  stop() {
    this.setState('stopped', null)
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const ws = this.ws
    this.ws = null
    ws?.close(1000, 'bye')
  }

  /** The browser says the network is gone: a socket would take a heartbeat or more to
   * notice, so drop it now and wait (reconnectNow when the network is back). */
  interrupt() {
    if (this.state !== 'open' && this.state !== 'connecting') return
    const ws = this.ws
    this.ws = null
    ws?.close(1000, 'offline')
    this.scheduleRetry()
  }

  /** Skip the backoff wait (the browser came back online, the user clicked retry). */
  reconnectNow() {
    if (this.state !== 'waiting') return
    if (this.timer) clearTimeout(this.timer)
    this.connect()
  }

  send(frame: Frame): boolean {
    if (this.state !== 'open' || !this.ws) return false
    this.ws.send(JSON.stringify(frame))
    return true
  }

  private setState(state: SocketState, retryAt: number | null) {
    this.state = state
    this.opts.onState(state, retryAt)
  }

  private connect() {
    this.setState('connecting', null)
    let ws: WebSocket
    try {
      ws = new WebSocket(this.opts.url())
    } catch {
      this.scheduleRetry()
      return
    }
    this.ws = ws
    let authFailed = false
    ws.onmessage = (ev) => {
      let frame: Frame
      try {
        frame = JSON.parse(String(ev.data)) as Frame
      } catch {
        return
      }
      if (frame.type === 'hello') {
        this.attempt = 0
        this.setState('open', null)
      } else if (frame.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }))
        return
      } else if (frame.type === 'error' && this.state !== 'open') {
        authFailed = true
        this.opts.onAuthFailure(String(frame.code ?? 'unauthorized'))
        return
      }
      this.opts.onFrame(frame)
    }
    ws.onclose = (ev) => {
      if (this.ws !== ws) return // replaced or stopped
      this.ws = null
      if (authFailed || ev.code === CLOSE_AUTH) {
        this.setState('stopped', null)
        if (!authFailed) this.opts.onAuthFailure(ev.reason || 'unauthorized')
        return
      }
      this.scheduleRetry()
    }
  }

  private scheduleRetry() {
    if (this.state === 'stopped') return
    const delay = backoffDelay(this.attempt++, this.opts.baseDelayMs, this.opts.maxDelayMs)
    this.setState('waiting', Date.now() + delay)
    this.timer = setTimeout(() => this.connect(), delay)
  }
}
