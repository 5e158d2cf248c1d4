import { describe, expect, it } from 'vitest'
import { canBrowseDirectory } from './access'

describe('who sees the directory entry', () => {
  it('follows view_directory (or editing the tree)', () => {
    expect(canBrowseDirectory({ permissions: ['view_directory'] })).toBe(true)
    expect(canBrowseDirectory({ permissions: ['manage_departments'] })).toBe(true)
    expect(canBrowseDirectory({ permissions: ['upload_files', 'start_calls'] })).toBe(false)
  })
  it('shows it while the account is not known yet', () => {
    expect(canBrowseDirectory(null)).toBe(true)
  })
})
