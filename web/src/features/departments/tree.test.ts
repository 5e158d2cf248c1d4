import { describe, expect, it } from 'vitest'
import type { Department } from '@/api/types'
import { childrenOf, localTime, nest, pathTo } from './tree'

const d = (id: string, parent: string | null, name: string): Department => ({
  id, parent_id: parent, name, position: 0, head_id: null, hidden: false, member_count: 0,
})
const all = [d('hq', null, '总部'), d('rd', 'hq', '研发部'), d('web', 'rd', '前端组'), d('sales', 'hq', '销售部')]

describe('department tree helpers', () => {
  it('groups children under their parent in order', () => {
    expect(childrenOf(all).get('hq')?.map((x) => x.name)).toEqual(['研发部', '销售部'])
    expect(childrenOf(all).get(null)?.map((x) => x.id)).toEqual(['hq'])
  })
  it('walks a breadcrumb from the top', () => {
    expect(pathTo(all, 'web').map((x) => x.name)).toEqual(['总部', '研发部', '前端组'])
    expect(pathTo(all, null)).toEqual([])
  })
  it('nests for a tree widget', () => {
    expect(nest(all)[0].children.map((n) => n.label)).toEqual(['研发部', '销售部'])
  })
  it('tells a local time, or nothing for an unknown zone', () => {
    const noonUtc = new Date(Date.UTC(2026, 0, 1, 12, 0))
    expect(localTime('Asia/Shanghai', noonUtc)).toBe('20:00')
    expect(localTime('', noonUtc)).toBe('')
    expect(localTime('Not/AZone', noonUtc)).toBe('')
  })
})
