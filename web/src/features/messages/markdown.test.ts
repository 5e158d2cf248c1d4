import { describe, expect, it } from 'vitest'
import { renderMarkdown, isSafeUrl } from './markdown'

describe('safe markdown', () => {
  it('escapes raw HTML instead of rendering it', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img')
  })

  it('drops javascript: links and keeps their text', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) and javascript:alert(2)')
    expect(html).not.toMatch(/href="javascript/i)
  })

  it('escapes an HTML payload inside link text and opens links safely', () => {
    const html = renderMarkdown('[<b onmouseover=alert(1)>x</b>](https://example.com/a)')
    expect(html).not.toContain('<b ')
    expect(html).toContain('href="https://example.com/a"')
    expect(html).toContain('rel="noopener noreferrer nofollow"')
    expect(html).toContain('target="_blank"')
  })

  it('does not load images', () => {
    expect(renderMarkdown('![x](https://tracker.example/p.gif)')).not.toContain('<img')
  })

  it('highlights mentions, mine more', () => {
    const html = renderMarkdown('hi @alice and @bob', 'bob')
    expect(html).toContain('<span class="mention" data-username="alice">@alice</span>')
    expect(html).toContain('<span class="mention mention-me" data-username="bob">@bob</span>')
    expect(renderMarkdown('mail me at a@b.com')).not.toContain('class="mention"')
  })

  it('allows only http(s) and mailto', () => {
    expect(isSafeUrl('https://x.y')).toBe(true)
    expect(isSafeUrl(' JAVASCRIPT:alert(1)')).toBe(false)
    expect(isSafeUrl('data:text/html,<script>')).toBe(false)
    expect(isSafeUrl('vbscript:x')).toBe(false)
  })
})
