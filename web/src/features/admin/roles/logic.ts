import type { Permission, PermissionInfo } from '@/api/types'

/** A permission's label and description in the current language (the catalogue has both). */
export function labelOf(info: PermissionInfo, locale: string): { label: string; description: string } {
  const zh = locale.startsWith('zh')
  return {
    label: zh ? info.label_zh : info.label_en,
    description: (zh ? info.description_zh : info.description_en) || '',
  }
}

/** The permissions this user may put in a role or hand out: only those they hold. */
export function notHeld(held: readonly Permission[], wanted: readonly Permission[]): Permission[] {
  return wanted.filter((p) => !held.includes(p))
}

/** Sort the catalogue's order onto a set of names (the role shows them as the catalogue does). */
export function inCatalogueOrder(catalogue: readonly PermissionInfo[], names: readonly Permission[]): Permission[] {
  return catalogue.map((p) => p.name).filter((n) => names.includes(n))
}

/** The largest upload a role sets, shown in MB, or null (the organisation's). */
export function parseUploadMb(text: string): number | null | 'invalid' {
  const t = text.trim()
  if (!t) return null
  if (!/^\d+$/.test(t)) return 'invalid'
  const n = Number(t)
  return n >= 1 && n <= 1_048_576 ? n : 'invalid'
}
