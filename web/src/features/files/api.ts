// Files over HTTP: uploads with progress (XMLHttpRequest: fetch cannot report upload
// progress without streaming request bodies, which need HTTP/2), the files view, and
// renditions (thumbnails, previews) that may answer 202 while they are being made.
import { API, ApiError, http, retryAfterMs, sleep } from '@/api/http'
import type { components } from '@/api/schema'

type S = components['schemas']
export type FileRead = S['FileRead']
export type FileKind = FileRead['kind']
export type SharedFile = S['SharedFile']
export type SharedFilePage = S['SharedFilePage']

export interface FilesQuery {
  q?: string
  kind?: FileKind | ''
  before?: string | null
  limit?: number
}

export interface UploadHandle {
  promise: Promise<FileRead>
  abort: () => void
}

/** Where things are: `url`/`thumbnail_url` come from the server; these build the rest. */
export const fileUrls = {
  download: (f: Pick<FileRead, 'id'>) => `${API}/files/${f.id}?download=true`,
  preview: (f: Pick<FileRead, 'id'>, page = 1) => `${API}/files/${f.id}/preview${page > 1 ? `?page=${page}` : ''}`,
  thumbnail: (f: Pick<FileRead, 'id'>) => `${API}/files/${f.id}/thumbnail`,
}

function problem(status: number, body: unknown, fallback: string): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  return new ApiError(
    status,
    typeof b.code === 'string' ? b.code : status ? `http_${status}` : 'network_error',
    typeof b.detail === 'string' ? b.detail : fallback,
    b,
  )
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const filesApi = {
  /** POST /files as multipart, reporting bytes sent. Retrying the same bytes is safe (the
   * server answers 200 with the same file). */
  upload(file: Blob, name: string, onProgress: (loaded: number, total: number) => void): UploadHandle {
    const xhr = new XMLHttpRequest()
    const promise = new Promise<FileRead>((resolve, reject) => {
      xhr.open('POST', `${API}/files`)
      xhr.setRequestHeader('X-Requested-With', 'parley')
      xhr.setRequestHeader('Accept', 'application/json')
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
      xhr.onload = () => {
        const body = parse(xhr.responseText)
        if (xhr.status === 200 || xhr.status === 201) resolve(body as FileRead)
        else reject(problem(xhr.status, body, xhr.statusText))
      }
      xhr.onerror = () => reject(problem(0, undefined, 'network error'))
      xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'))
      const form = new FormData()
      form.append('file', file, name)
      xhr.send(form)
    })
    return { promise, abort: () => xhr.abort() }
  },

  info: (id: string) => http.get<FileRead>(`/files/${id}/info`),

  shared: (cid: string, q: FilesQuery = {}) =>
    http.get<SharedFilePage>(`/conversations/${cid}/files`, { q: q.q, kind: q.kind, before: q.before, limit: q.limit ?? 50 }),
}

export interface Rendition {
  blob: Blob
  /** Pages of a PDF/Office preview (`X-Preview-Pages`). */
  pages: number
  /** Pages of the whole document when only the first `pages` were rendered. */
  total: number
  truncated: boolean
}

/** GET a thumbnail or preview, waiting out 202 ("being made", with Retry-After). A 415
 * carries `notes` ({en, zh-CN}) saying why there is no preview. */
export async function fetchRendition(url: string, signal?: AbortSignal, maxWaitMs = 60_000): Promise<Rendition> {
  const deadline = Date.now() + maxWaitMs
  for (;;) {
    let res: Response
    try {
      res = await fetch(url, { headers: { 'X-Requested-With': 'parley' }, credentials: 'same-origin', signal })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      throw problem(0, undefined, (err as Error).message)
    }
    if (res.status === 202) {
      if (Date.now() > deadline) throw problem(202, { code: 'preview_pending' }, 'The preview is still being made.')
      await sleep(retryAfterMs(res.headers.get('Retry-After')), signal)
      continue
    }
    if (!res.ok) throw problem(res.status, parse(await res.text()), res.statusText)
    return {
      blob: await res.blob(),
      pages: Number(res.headers.get('X-Preview-Pages')) || 1,
      total: Number(res.headers.get('X-Total-Pages')) || Number(res.headers.get('X-Preview-Pages')) || 1,
      truncated: res.headers.get('X-Preview-Truncated') === 'true',
    }
  }
}
