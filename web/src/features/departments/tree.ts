import type { Department } from '@/api/types'

/** The children of each department (null: the top level), in the server's order. */
export function childrenOf(departments: Department[]): Map<string | null, Department[]> {
  const out = new Map<string | null, Department[]>()
  for (const d of departments) {
    const list = out.get(d.parent_id) ?? []
    list.push(d)
    out.set(d.parent_id, list)
  }
  return out
}

/** From the top of the tree down to `id` (for a breadcrumb). */
export function pathTo(departments: Department[], id: string | null): Department[] {
  const byId = new Map(departments.map((d) => [d.id, d]))
  const chain: Department[] = []
  let current = id ? byId.get(id) : undefined
  while (current) {
    chain.unshift(current)
    current = current.parent_id ? byId.get(current.parent_id) : undefined
  }
  return chain
}

export interface TreeNode {
  id: string
  label: string
  department: Department
  children: TreeNode[]
}

/** Nested nodes for a tree widget. */
export function nest(departments: Department[]): TreeNode[] {
  const kids = childrenOf(departments)
  const build = (parent: string | null): TreeNode[] =>
    (kids.get(parent) ?? []).map((d) => ({ id: d.id, label: d.name, department: d, children: build(d.id) }))
  return build(null)
}

/** A person's local time in `zone` (IANA), e.g. "14:05"; "" when unknown. */
export function localTime(zone: string, now: Date = new Date(), locale = 'en'): string {
  if (!zone) return ''
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone }).format(now)
  } catch {
    return ''
  }
}

/** The IANA zones this browser knows (for picking one's own). */
export function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? []
}
