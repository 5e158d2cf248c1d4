// The one HTTP client. Authentication rides on the HttpOnly `parley_session` cookie;
// `X-Requested-With` is the server's CSRF guard for cookie-authenticated writes.

export const API = '/api/v1'

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    detail: string,
    public body: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>

let onUnauthorized: (() => void) | null = null
/** Called once per 401 from an authenticated call (session expired or revoked). */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn
}

const problemHandlers = new Map<string, () => void>()
/** Called when an authenticated call is refused with this problem `code` (for example
 * `password_change_required`: the user must choose a password before anything else). */
export function onProblem(code: string, fn: () => void): void {
  problemHandlers.set(code, fn)
}

// A deliberate sign-out aborts what is in flight and sends nothing authenticated until
// the next sign-in: a timer or poll firing afterwards would only collect 401s.
let session = new AbortController()
let signedOut = false

/** The user signed out: abort authenticated calls in flight, refuse new ones locally. */
export function endSession(): void {
  signedOut = true
  session.abort()
}

/** Signed in again: authenticated calls go out again. */
export function beginSession(): void {
  if (!signedOut) return
  signedOut = false
  session = new AbortController()
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((item) => params.append(k, item))
    else params.set(k, String(v))
  }
  const qs = params.toString()
  return `${API}${path}${qs ? `?${qs}` : ''}`
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not treat a 401 as an expired session (login, setup probes). */
  anonymous?: boolean
  signal?: AbortSignal
  /** Safe to send again after a 503 `overloaded` (reads, and writes that are idempotent by
   * design, like a send with its client_msg_id). GET, HEAD, PUT and DELETE always are. */
  repeatable?: boolean
}

/** Tries after the first when the server answers 503 `overloaded` (its database pool
 * stayed exhausted, e.g. when everyone signs in at 9:00). */
export const OVERLOAD_RETRIES = 3
const REPEATABLE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

/** Milliseconds to wait as the server's `Retry-After` (seconds) asks, capped at 30 s;
 * `fallback` when the header is absent or not a positive number. */
export function retryAfterMs(header: string | null, fallback = 1000): number {
  const n = Number(header)
  return Number.isFinite(n) && n > 0 ? Math.min(n, 30) * 1000 : fallback
}

/** How long to wait before trying again, or null when this answer is final. The wait
 * follows the server's Retry-After, spread by +-50% so that a crowd of clients turned
 * away together does not come back together. */
export function overloadDelay(
  status: number,
  code: unknown,
  retryAfter: string | null,
  attempt: number,
  random: () => number = Math.random,
): number | null {
  if (status !== 503 || code !== 'overloaded' || attempt >= OVERLOAD_RETRIES) return null
  return Math.round(retryAfterMs(retryAfter, 2000) * (0.5 + random()))
}

/** Resolves after `ms`; rejects with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new DOMException('Aborted', 'AbortError'))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  if (signedOut && !opts.anonymous) throw new ApiError(0, 'signed_out', 'Signed out')
  const signal = opts.anonymous ? opts.signal : withSession(opts.signal)
  const headers: Record<string, string> = { 'X-Requested-With': 'parley', Accept: 'application/json' }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  const repeatable = opts.repeatable ?? REPEATABLE_METHODS.has(method)
  for (let attempt = 0; ; attempt++) {
    let res: Response
    try {
      res = await fetch(buildUrl(path, opts.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
      })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      throw new ApiError(0, 'network_error', (err as Error).message)
    }
    const data = await readBody(res)
    const code = (data as Record<string, unknown> | undefined)?.code
    const delay = repeatable ? overloadDelay(res.status, code, res.headers.get('Retry-After'), attempt) : null
    if (delay === null) return answer<T>(res, data, opts)
    await sleep(delay, signal)
  }
}

function withSession(signal?: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, session.signal]) : session.signal
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined
  const text = await res.text()
  return text ? safeJson(text) : undefined
}

function answer<T>(res: Response, data: unknown, opts: RequestOptions): T {
  if (!res.ok) {
    const body = (data ?? {}) as Record<string, unknown>
    if (res.status === 401 && !opts.anonymous) onUnauthorized?.()
    if (!opts.anonymous && typeof body.code === 'string') problemHandlers.get(body.code)?.()
    throw new ApiError(
      res.status,
      typeof body.code === 'string' ? body.code : `http_${res.status}`,
      typeof body.detail === 'string' ? body.detail : res.statusText,
      body,
    )
  }
  return data as T
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, { body }),
}
