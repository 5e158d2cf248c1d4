// What the search view shows: messages (whole-word matches first, then substring
// matches, as the server orders them) and, from the first page, files whose name matched.
import type { components } from '@/api/schema'
import type { SearchHit, SearchPage } from '@/api/types'

export type FileHit = components['schemas']['FileHit']

export interface Results {
  messages: SearchHit[]
  files: FileHit[]
  next: string | null
}

export const noResults: Results = { messages: [], files: [], next: null }

/** The results after a page arrives: a new search replaces everything; "load more"
 *  appends messages (skipping any already shown) and keeps the first page's files. */
export function applyPage(prev: Results, page: SearchPage, more: boolean): Results {
  if (!more) return { messages: page.items, files: page.files ?? [], next: page.next_cursor }
  const seen = new Set(prev.messages.map((h) => h.message.id))
  return {
    messages: [...prev.messages, ...page.items.filter((h) => !seen.has(h.message.id))],
    files: prev.files,
    next: page.next_cursor,
  }
}

export function isEmpty(r: Results): boolean {
  return !r.messages.length && !r.files.length
}
