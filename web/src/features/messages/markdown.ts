// Safe Markdown: no raw HTML ever (html: false escapes it), only http(s)/mailto links,
// links open in a new tab with rel=noopener, images shown as links (no tracking pixels),
// and @mentions highlighted.
import MarkdownIt, { type StateInline } from 'markdown-it'
import { replaceMentions } from './mentionTokens'

const SAFE_LINK = /^(https?:|mailto:)/i
const MENTION = /^@([A-Za-z0-9][A-Za-z0-9._-]{0,63}|所有人|全体成员)/

export function isSafeUrl(url: string): boolean {
  const trimmed = url.trim()
  // Relative links have no scheme to abuse but also no use in chat; keep absolute only.
  return SAFE_LINK.test(trimmed)
}

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
md.validateLink = isSafeUrl
md.disable(['image', 'heading', 'lheading', 'hr'])

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const t = tokens[idx]
  t.attrSet('target', '_blank')
  t.attrSet('rel', 'noopener noreferrer nofollow')
  return self.renderToken(tokens, idx, options)
}

function mentionRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false
  const prev = state.pos > 0 ? state.src[state.pos - 1] : ''
  if (prev && /[\w@]/.test(prev)) return false
  const match = MENTION.exec(state.src.slice(state.pos))
  if (!match) return false
  const name = match[1].replace(/\.+$/, '')
  if (!silent) {
    const token = state.push('mention', '', 0)
    token.content = name
  }
  state.pos += name.length + 1
  return true
}
md.inline.ruler.before('emphasis', 'mention', mentionRule)
interface RenderEnv {
  me?: string
  /** lower-case username -> the name to show (the message's mentioned people). */
  names?: ReadonlyMap<string, string>
}

md.renderer.rules.mention = (tokens, idx, _opts, env) => {
  const name = tokens[idx].content
  const lower = name.toLowerCase()
  const { me, names } = (env ?? {}) as RenderEnv
  const isMe = me && lower === me.toLowerCase()
  const isAll = ['all', '所有人', '全体成员'].includes(lower)
  const cls = `mention${isMe || isAll ? ' mention-me' : ''}`
  const shown = names?.get(lower) ?? name
  return `<span class="${cls}" data-username="${md.utils.escapeHtml(name)}">@${md.utils.escapeHtml(shown)}</span>`
}

/** Render message text to HTML that is safe to put in v-html; `names` shows mentions by
 * display name (see mentionTokens.ts). */
export function renderMarkdown(text: string, myUsername?: string, names?: ReadonlyMap<string, string>): string {
  return md.render(text, { me: myUsername, names } satisfies RenderEnv)
}

/** A one-line plain preview for lists and notifications; `names` as in renderMarkdown. */
export function plainPreview(text: string, names?: ReadonlyMap<string, string>): string {
  return (names?.size ? replaceMentions(text, (u) => names.get(u)) : text)
    .replace(/```[\s\S]*?```/g, '[code]')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~>#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}
