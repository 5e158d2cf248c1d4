import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'
import { replaceMentions, toDisplay, toWire, type MentionPerson } from './mentionTokens'

const lisi: MentionPerson = { id: 'u-lisi', username: 'lisi', display_name: '李四' }
const bob: MentionPerson = { id: 'u-bob', username: 'bob', display_name: 'Bob Li' }
const li2: MentionPerson = { id: 'u-li2', username: 'li.si2', display_name: '李四' }

describe('mentions shown by display name, sent by username and id', () => {
  it('shows @李四 for @lisi and turns it back on send, with the id', () => {
    const shown = toDisplay('请 @lisi 和 @Bob 看一下', [lisi, bob])
    expect(shown.text).toBe('请 @李四 和 @Bob Li 看一下')
    const wire = toWire(shown.text, shown.tokens)
    expect(wire.text).toBe('请 @lisi 和 @bob 看一下')
    expect(wire.ids).toEqual(['u-lisi', 'u-bob'])
  })

  it('leaves unknown names as typed; they are still valid on the wire', () => {
    const shown = toDisplay('@nobody @all @lisi.', [lisi])
    expect(shown.text).toBe('@nobody @all @李四.')
    expect(toWire(shown.text, shown.tokens)).toEqual({ text: '@nobody @all @lisi.', ids: ['u-lisi'] })
  })

  it('tells apart two people with the same display name', () => {
    const shown = toDisplay('@lisi @li.si2', [lisi, li2])
    expect(shown.text).toBe('@李四(lisi) @李四(li.si2)')
    expect(toWire(shown.text, shown.tokens)).toEqual({ text: '@lisi @li.si2', ids: ['u-lisi', 'u-li2'] })
  })

  it('keeps a username apart from what follows and a Latin label from a longer word', () => {
    const tokens = [{ id: 'u-lisi', username: 'lisi', label: '李四' }, { id: 'u-bob', username: 'bob', label: 'Bob Li' }]
    expect(toWire('@李四你好', tokens).text).toBe('@lisi你好')
    expect(toWire('@李四-明天', tokens).text).toBe('@lisi -明天')
    expect(toWire('@Bob Lily', tokens)).toEqual({ text: '@Bob Lily', ids: [] })
    expect(toWire('mail@李四', tokens).ids).toEqual([])
  })

  it('renders current names for the ids a message mentions', () => {
    const names = new Map([['lisi', '李四（新）']])
    expect(replaceMentions('@LiSi 好, @bob', (u) => names.get(u))).toBe('@李四（新） 好, @bob')
  })
})

describe('rendered mentions', () => {
  it('show the display name of the mentioned person, escaped, and keep the username', () => {
    const html = renderMarkdown('请 @lisi 看 @bob', 'bob', new Map([['lisi', '李四<b>']]))
    expect(html).toContain('data-username="lisi">@李四&lt;b&gt;</span>')
    expect(html).toContain('class="mention mention-me" data-username="bob">@bob</span>')
  })
})
