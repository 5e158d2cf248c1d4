// Search snippets come as plain text plus [start, end) ranges counted in Unicode code
// points. They are rendered as text nodes and <mark> elements, never as HTML.

export interface Segment {
  text: string
  hit: boolean
}

export function highlightSegments(snippet: string, ranges: readonly (readonly [number, number])[]): Segment[] {
  const chars = Array.from(snippet) // code points, as the server counts them
  const out: Segment[] = []
  let at = 0
  const sorted = [...ranges]
    .map(([a, b]) => [Math.max(0, Math.min(a, chars.length)), Math.max(0, Math.min(b, chars.length))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  for (const [a, b] of sorted) {
    const start = Math.max(a, at)
    if (b <= start) continue
    if (start > at) out.push({ text: chars.slice(at, start).join(''), hit: false })
    out.push({ text: chars.slice(start, b).join(''), hit: true })
    at = b
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(''), hit: false })
  return out
}
