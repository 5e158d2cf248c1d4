import { describe, expect, it } from 'vitest'
import type { PermissionInfo } from '@/api/types'
import { notHeld, inCatalogueOrder, labelOf, parseUploadMb } from './logic'

const info: PermissionInfo = {
  name: 'create_groups', label_zh: '创建群组', label_en: 'Create groups', description_zh: '创建新的群聊', description_en: 'Start new group chats',
}

describe('roles logic', () => {
  it('labels in the current language', () => {
    expect(labelOf(info, 'zh-CN').label).toBe('创建群组')
    expect(labelOf(info, 'en')).toEqual({ label: 'Create groups', description: 'Start new group chats' })
  })
  it('lists what the user cannot grant', () => {
    expect(notHeld(['create_groups'], ['create_groups', 'manage_users'])).toEqual(['manage_users'])
  })
  it('keeps the catalogue order', () => {
    const mention: PermissionInfo = { ...info, name: 'mention_all' }
    expect(inCatalogueOrder([info, mention], ['mention_all', 'create_groups'])).toEqual(['create_groups', 'mention_all'])
  })
  it('parses the upload limit', () => {
    expect(parseUploadMb('')).toBeNull()
    expect(parseUploadMb(' 500 ')).toBe(500)
    expect(parseUploadMb('0')).toBe('invalid')
    expect(parseUploadMb('1.5')).toBe('invalid')
  })
})
