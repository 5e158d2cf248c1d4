import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from './csv'
import { allowedSections, sections } from './sections'
import { opensConsole } from './access'

describe('CSV of created accounts', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('张三')).toBe('张三')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('=1+1')).toBe("'=1+1")
  })
  it('starts with a BOM and ends lines with CRLF', () => {
    expect(toCsv(['username', 'password'], [['zs', 'p,w']])).toBe('\ufeffusername,password\r\nzs,"p,w"\r\n')
  })
})

describe('admin console access', () => {
  it('opens for any admin permission, not for members', () => {
    expect(opensConsole(['upload_files', 'create_groups'])).toBe(false)
    expect(opensConsole(['view_audit'])).toBe(true)
  })
  it('shows only the sections the permissions allow, in order', () => {
    expect(allowedSections(['manage_groups']).map((s) => s.path)).toEqual(['groups'])
    expect(allowedSections(['manage_settings', 'manage_users']).map((s) => s.path)).toEqual(['dashboard', 'users', 'invitations', 'settings'])
    expect(sections.every((s) => s.label.startsWith('admin.nav.'))).toBe(true)
  })
})
