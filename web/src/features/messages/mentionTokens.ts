// @mentions as people read them. On the wire a mention is `@username` in the text plus
// the user's id in `mentions` (the server's syntax, which integrations and other clients
// use too); people see `@显示名`. The composer shows display names and keeps a token map
// to turn them back into usernames on send; rendering resolves the message's mentioned ids
// to current display names. Pure, so Vitest covers it (mentionTokens.test.ts).

export interface MentionPerson {
  id: string
  username: string
  display_name: string
}

/** One person picked in the composer: `@label` in the text stands for `@username`. */
export interface MentionToken {
  id: string
  username: string
  label: string
}

/** `@username` as the server parses it (messages/mentions.py): not after a word
 * character or `@`; a trailing dot ends the sentence, not the name. */
const WIRE_MENTION = /(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g

/** Replace each `@username` that `resolve` knows by `@` and what it returns. */
export function replaceMentions(text: string, resolve: (username: string) => string | undefined): string {
  return text.replace(WIRE_MENTION, (whole, raw: string) => {
    const name = raw.replace(/\.+$/, '')
    const shown = resolve(name.toLowerCase())
    return shown === undefined ? whole : `@${shown}${raw.slice(name.length)}`
  })
}

/** Display label per lower-case username: the display name, with the username added when
 * two of the people share a display name (so each `@label` stays one person). */
export function mentionLabels(people: Iterable<MentionPerson>): Map<string, MentionToken> {
  const list = [...people]
  const count = new Map<string, number>()
  for (const p of list) count.set(p.display_name, (count.get(p.display_name) ?? 0) + 1)
  const out = new Map<string, MentionToken>()
  for (const p of list) {
    const name = p.display_name.trim() || p.username
    const label = (count.get(p.display_name) ?? 0) > 1 ? `${name}(${p.username})` : name
    out.set(p.username.toLowerCase(), { id: p.id, username: p.username, label })
  }
  return out
}

/** Wire text to what the composer shows: `@lisi` of a known person becomes `@李四`, with
 * the tokens that turn it back. Unknown `@names` stay as typed (still valid on the wire). */
export function toDisplay(wire: string, people: Iterable<MentionPerson>): { text: string; tokens: MentionToken[] } {
  const labels = mentionLabels(people)
  const tokens = new Map<string, MentionToken>()
  const text = replaceMentions(wire, (username) => {
    const token = labels.get(username)
    if (token) tokens.set(token.id, token)
    return token?.label
  })
  return { text, tokens: [...tokens.values()] }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** What the composer shows back to wire text: every `@label` of a token becomes
 * `@username`; returns the ids mentioned, in order of first appearance. A label ending in
 * a Latin letter or digit must not run on into a longer word (`@Bob Li` is not in
 * `@Bob Lily`); a username is kept apart from characters that would lengthen it. */
export function toWire(text: string, tokens: readonly MentionToken[]): { text: string; ids: string[] } {
  if (!tokens.length) return { text, ids: [] }
  const byLabel = new Map(tokens.map((t) => [t.label, t]))
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp)
  const pattern = new RegExp(`(?<![\\w@])@(${labels.join('|')})`, 'g')
  const ids: string[] = []
  const out = text.replace(pattern, (whole, label: string, offset: number, all: string) => {
    const after = all.slice(offset + whole.length, offset + whole.length + 2)
    if (/\w$/.test(label) && /^\w/.test(after)) return whole
    const token = byLabel.get(label)!
    if (!ids.includes(token.id)) ids.push(token.id)
    return `@${token.username}${/^\.?[\w-]/.test(after) ? ' ' : ''}`
  })
  return { text: out, ids }
}
