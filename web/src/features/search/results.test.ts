import { describe, expect, it } from 'vitest'
import type { SearchHit, SearchPage } from '@/api/types'
import { applyPage, isEmpty, noResults, type FileHit } from './results'

const hit = (id: string) => ({ message: { id } }) as unknown as SearchHit
const file = (name: string) => ({ file: { id: name, name } }) as unknown as FileHit
const page = (ids: string[], files: FileHit[], next: string | null): SearchPage => ({ items: ids.map(hit), files, next_cursor: next })

describe('search results', () => {
  it('a new search shows its messages and the files whose name matched', () => {
    const r = applyPage(noResults, page(['a'], [file('项目进度报告.pdf')], 'p9'), false)
    expect(r.messages.map((h) => h.message.id)).toEqual(['a'])
    expect(r.files.map((f) => f.file.name)).toEqual(['项目进度报告.pdf'])
    expect(r.next).toBe('p9')
    expect(isEmpty(r)).toBe(false)
  })

  it('loading more appends messages once each and keeps the first page files', () => {
    const first = applyPage(noResults, page(['a', 'b'], [file('报告.pdf')], '7'), false)
    const r = applyPage(first, page(['b', 'c'], [], null), true)
    expect(r.messages.map((h) => h.message.id)).toEqual(['a', 'b', 'c'])
    expect(r.files.map((f) => f.file.name)).toEqual(['报告.pdf'])
    expect(r.next).toBeNull()
  })

  it('a file-only result is not "no results"', () => {
    expect(isEmpty(applyPage(noResults, page([], [file('报告.pdf')], null), false))).toBe(false)
    expect(isEmpty(applyPage(noResults, page([], [], null), false))).toBe(true)
  })
})
