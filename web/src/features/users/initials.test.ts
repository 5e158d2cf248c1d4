import { describe, expect, it } from 'vitest'
import { avatarInitials } from './initials'

describe('generated avatar letters', () => {
  it('take a group name from its start', () => {
    expect(avatarInitials('项目组', 'group')).toBe('项目')
    expect(avatarInitials('研发部-北京', 'group')).toBe('研发')
    expect(avatarInitials('【重要】通知群', 'group')).toBe('重要')
    expect(avatarInitials('Project Alpha', 'group')).toBe('PA')
    expect(avatarInitials('launch team', 'group')).toBe('LT')
    expect(avatarInitials('Marketing', 'group')).toBe('MA')
    expect(avatarInitials('🚀 Rocket 小组', 'group')).toBe('R小')
  })

  it('take a person by their given name or initials', () => {
    expect(avatarInitials('张三丰')).toBe('三丰')
    expect(avatarInitials('李四')).toBe('李四')
    expect(avatarInitials('Carol 陈')).toBe('陈')
    expect(avatarInitials('Alice Wang')).toBe('AW')
    expect(avatarInitials('bob')).toBe('BO')
    expect(avatarInitials('  ')).toBe('·')
  })
})
