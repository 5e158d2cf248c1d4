import { http } from '@/api/http'
import type {
  EditHistory, FavoritePage, Message, MessageInContext, MessagePage, MessagePageByCursor, PinRead, ReadState, Receipts,
  SearchPage, SyncResponse,
} from '@/api/types'

export interface SendBody {
  client_msg_id: string
  text: string
  reply_to?: string | null
  mentions?: string[]
  attachments?: string[]
}

export interface SearchQuery {
  q: string
  conversation_id?: string
  sender_id?: string
  from?: string
  to?: string
  before?: string
  limit?: number
}

const msgPath = (cid: string, mid: string) => `/conversations/${cid}/messages/${mid}`

export const messagesApi = {
  // Repeatable: a send is idempotent by its client_msg_id, and sync only reads.
  send: (cid: string, body: SendBody, signal?: AbortSignal) =>
    http.post<Message>(`/conversations/${cid}/messages`, body, { repeatable: true, signal }),
  history: (cid: string, q: { before?: number; after?: number; limit?: number }) =>
    http.get<MessagePage>(`/conversations/${cid}/messages`, q),
  markRead: (cid: string, seq: number) => http.post<ReadState>(`/conversations/${cid}/read`, { seq }),
  receipts: (cid: string, mid: string) => http.get<Receipts>(`${msgPath(cid, mid)}/receipts`),
  sync: (cursors: Record<string, number>, limit = 500) =>
    http.post<SyncResponse>('/sync', { cursors, limit }, { repeatable: true }),

  edit: (cid: string, mid: string, text: string) => http.patch<Message>(msgPath(cid, mid), { text }),
  edits: (cid: string, mid: string) => http.get<EditHistory>(`${msgPath(cid, mid)}/edits`),
  recall: (cid: string, mid: string) => http.post<Message>(`${msgPath(cid, mid)}/recall`),
  react: (cid: string, mid: string, emoji: string, on: boolean) =>
    on
      ? http.put<Message>(`${msgPath(cid, mid)}/reactions/${encodeURIComponent(emoji)}`)
      : http.delete<Message>(`${msgPath(cid, mid)}/reactions/${encodeURIComponent(emoji)}`),
  pin: (cid: string, mid: string, on: boolean) =>
    on ? http.post<PinRead[]>(`${msgPath(cid, mid)}/pin`) : http.delete<PinRead[]>(`${msgPath(cid, mid)}/pin`),
  pins: (cid: string) => http.get<PinRead[]>(`/conversations/${cid}/pins`),

  favorites: (cursor?: string | null, limit = 50) => http.get<FavoritePage>('/favorites', { cursor: cursor ?? undefined, limit }),
  addFavorite: (message_id: string) => http.post<{ message_id: string }>('/favorites', { message_id }),
  removeFavorite: (mid: string) => http.delete<void>(`/favorites/${mid}`),
  mentions: (before?: string | null, limit = 50) =>
    http.get<MessagePageByCursor>('/mentions', { before: before ?? undefined, limit }),
  forward: (body: { conversation_id: string; message_ids: string[]; target_ids: string[]; merge: boolean; client_msg_id: string }) =>
    http.post<Message[]>('/forward', body),
  locate: (mid: string, around = 20) => http.get<MessageInContext>(`/messages/${mid}`, { around }),
  search: (q: SearchQuery) => http.get<SearchPage>('/search', { ...q }),
}
