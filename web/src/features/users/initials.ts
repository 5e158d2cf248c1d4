// The letters on a generated avatar (UserAvatar). Pure, covered by initials.test.ts.

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/
/** Leading characters that carry no name: emoji, brackets, punctuation, digits' separators. */
const NOISE = /^[^\p{L}\p{N}]+/u

/** A person: for a CJK name the last two characters (the given name, as DingTalk and
 * Feishu show 张三丰 as 三丰); for a Latin one the initials of the first two words. A
 * group: for a CJK name its first two characters (项目组 is 项目, not 目组: a group's name
 * starts with what it is about); for a Latin one the same initials as a person. */
export function avatarInitials(name: string, kind: 'person' | 'group' = 'person'): string {
  const n = name.trim().replace(NOISE, '')
  if (!n || n === '…') return '·'
  const chars = [...n]
  if (CJK.test(chars[0]) || (kind === 'person' && CJK.test(n))) {
    const cjk = chars.filter((c) => CJK.test(c))
    return (kind === 'group' ? cjk.slice(0, 2) : cjk.slice(-2)).join('')
  }
  const words = n.split(/[\s·._-]+/).filter(Boolean)
  const initials = words.length > 1 ? [...words[0]][0] + [...words[1]][0] : chars.slice(0, 2).join('')
  return initials.toUpperCase()
}
