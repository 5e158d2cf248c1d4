import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { ApiError } from '@/api/http'
import { useMessagesStore } from '@/features/messages/store'
import { useAuthStore } from '@/features/auth/store'
import { filesApi, type FileRead, type UploadHandle } from './api'
import {
  chunk,
  commit as commitQueue,
  enqueue,
  isBusy,
  markDone,
  markFailed,
  markProgress,
  markStarted,
  nextToStart,
  readyFiles,
  removeItem,
  requeue,
  type UploadItem,
} from './logic'

/** Uploads running at once; the rest wait their turn. */
const PARALLEL = 3
let counter = 0

/** The composer's upload queue (all conversations: a file keeps uploading when you switch
 * to another chat). The queue's state changes are pure functions in logic.ts. */
export const useUploadsStore = defineStore('uploads', () => {
  const items = ref<UploadItem[]>([])
  // Not reactive: the Blobs being sent and the running requests.
  const blobs = new Map<string, Blob>()
  const running = new Map<string, UploadHandle>()

  function of(cid: string): UploadItem[] {
    return items.value.filter((i) => i.conversationId === cid)
  }

  /** Queue files (picked, dropped or pasted) for a conversation; `autoSend` sends each as
   * its own message once stored (voice messages). */
  function add(cid: string, files: readonly File[], opts: { autoSend?: boolean } = {}): string[] {
    const added = files.map((f) => {
      const key = `u${Date.now().toString(36)}-${++counter}`
      blobs.set(key, f)
      return { key, conversationId: cid, name: f.name || 'file', size: f.size, autoSend: opts.autoSend }
    })
    items.value = enqueue(items.value, added)
    pump()
    return added.map((a) => a.key)
  }

  function pump() {
    for (const key of nextToStart(items.value, PARALLEL)) start(key)
  }

  function start(key: string) {
    const item = items.value.find((i) => i.key === key)
    const blob = blobs.get(key)
    if (!item || !blob) return
    items.value = markStarted(items.value, key)
    const handle = filesApi.upload(blob, item.name, (loaded) => {
      items.value = markProgress(items.value, key, loaded)
    })
    running.set(key, handle)
    handle.promise.then(
      (file) => {
        running.delete(key)
        blobs.delete(key)
        if (!items.value.some((i) => i.key === key)) return // cancelled as it finished
        items.value = markDone(items.value, key, file)
        const done = items.value.find((i) => i.key === key)
        if (done?.autoSend) {
          items.value = removeItem(items.value, key)
          void sendFiles(done.conversationId, '', [file])
        }
        pump()
      },
      (err: unknown) => {
        running.delete(key)
        if ((err as Error).name === 'AbortError') return // cancel() already removed it
        const code = err instanceof ApiError ? err.code : 'network_error'
        items.value = markFailed(items.value, key, code)
        pump()
      },
    )
  }

  /** Stop an upload (or drop a waiting, failed or stored one). */
  function cancel(key: string) {
    running.get(key)?.abort()
    running.delete(key)
    blobs.delete(key)
    items.value = removeItem(items.value, key)
    pump()
  }

  function retry(key: string) {
    items.value = requeue(items.value, key)
    pump()
  }

  function ready(cid: string): FileRead[] {
    return readyFiles(items.value, cid)
  }

  function busy(cid: string): boolean {
    return isBusy(items.value, cid)
  }

  /** Send was pressed: take the stored files for the message; uploads still running will
   * follow as their own messages. */
  function commit(cid: string): FileRead[] {
    const { items: next, files } = commitQueue(items.value, cid)
    items.value = next
    return files
  }

  function clear() {
    for (const h of running.values()) h.abort()
    running.clear()
    blobs.clear()
    items.value = []
  }

  // Signed out (or the session ended): nothing of the last person's uploads goes on.
  watch(
    () => useAuthStore().status,
    (s) => s !== 'authenticated' && clear(),
  )

  return { items, of, add, cancel, retry, ready, busy, commit, clear }
})

/** Send text with files; more than a message may carry go as several messages. */
export async function sendFiles(cid: string, text: string, files: FileRead[], opts: { reply?: Parameters<ReturnType<typeof useMessagesStore>['send']>[2]; mentions?: string[] } = {}) {
  const messages = useMessagesStore()
  const batches = files.length ? chunk(files) : [[]]
  for (const [i, batch] of batches.entries()) {
    await messages.send(cid, i === 0 ? text : '', i === 0 ? (opts.reply ?? null) : null, i === 0 ? (opts.mentions ?? []) : [], batch)
  }
}

/** What the lightbox or the preview dialog shows (one of each for the whole app). */
export const useFileViewerStore = defineStore('fileViewer', () => {
  const lightbox = ref<{ files: FileRead[]; index: number } | null>(null)
  const preview = ref<FileRead | null>(null)

  /** Open the right viewer for a file: images in the lightbox, the rest in the dialog. */
  function open(file: FileRead, gallery: FileRead[] = [file]) {
    if (file.kind === 'image' && file.preview !== 'none') {
      const images = gallery.filter((f) => f.kind === 'image' && f.preview !== 'none')
      lightbox.value = { files: images, index: Math.max(0, images.findIndex((f) => f.id === file.id)) }
    } else {
      preview.value = file
    }
  }

  return { lightbox, preview, open }
})
