// The little of Janus's HTTP API a meeting needs (https://janus.conf.meetecho.com/docs/rest):
// one session, long-polled for events; one VideoRoom handle that publishes this device's
// camera and microphone (admitted by the token Parley gave it), and one handle per feed it
// receives. Parley never sees the media; Janus never sees Parley's session.

export type Json = Record<string, any>
export type Listener = (handle: number, event: Json) => void

const PLUGIN = 'janus.plugin.videoroom'

export class JanusSession {
  private id = 0
  private closed = false
  private waiters = new Map<number, Array<(e: Json) => boolean>>()

  constructor(
    private readonly url: string,
    private readonly onEvent: Listener,
  ) {}

  async open(): Promise<void> {
    this.id = (await this.post('', { janus: 'create' })).data.id
    void this.poll()
  }

  async attach(): Promise<number> {
    return (await this.post(`/${this.id}`, { janus: 'attach', plugin: PLUGIN })).data.id
  }

  /** A request to the plugin; `want` names the reply event (`joined`, `attached`, ...)
   * this waits for, rejecting on the plugin's `error`. */
  async request(handle: number, body: Json, jsep?: RTCSessionDescriptionInit | null, want?: (data: Json, e: Json) => boolean): Promise<Json> {
    const reply = want ? this.next(handle, want) : Promise.resolve({})
    await this.post(`/${this.id}/${handle}`, { janus: 'message', body, ...(jsep ? { jsep: { type: jsep.type, sdp: jsep.sdp } } : {}) })
    return reply
  }

  trickle(handle: number, candidate: RTCIceCandidateInit | null): void {
    void this.post(`/${this.id}/${handle}`, { janus: 'trickle', candidate: candidate ?? { completed: true } }).catch(() => undefined)
  }

  async detach(handle: number): Promise<void> {
    await this.post(`/${this.id}/${handle}`, { janus: 'detach' }).catch(() => undefined)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.id) void this.post(`/${this.id}`, { janus: 'destroy' }).catch(() => undefined)
  }

  private next(handle: number, want: (data: Json, e: Json) => boolean): Promise<Json> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(handle) ?? []
      list.push((e) => {
        const data = e.plugindata?.data ?? {}
        if (data.error_code) {
          reject(new Error(String(data.error)))
          return true
        }
        if (!want(data, e)) return false
        resolve(e)
        return true
      })
      this.waiters.set(handle, list)
    })
  }

  private async poll(): Promise<void> {
    while (!this.closed) {
      let events: Json[]
      try {
        const r = await fetch(`${this.url}/${this.id}?maxev=10&rid=${Date.now()}`)
        const body = await r.json()
        events = Array.isArray(body) ? body : [body]
      } catch {
        await new Promise((r) => setTimeout(r, 1000))
        continue
      }
      for (const e of events) {
        const handle = Number(e.sender ?? 0)
        if (!handle) continue
        const list = this.waiters.get(handle) ?? []
        const i = list.findIndex((w) => w(e))
        if (i >= 0) list.splice(i, 1)
        else this.onEvent(handle, e)
      }
    }
  }

  private async post(path: string, body: Json): Promise<Json> {
    const r = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, transaction: Math.random().toString(36).slice(2) }),
    })
    const reply = await r.json()
    if (reply.janus === 'error') throw new Error(String(reply.error?.reason ?? 'janus error'))
    return reply
  }
}
