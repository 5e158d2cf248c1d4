// Derive Element Plus's primary palette from one brand colour, as its own theme does
// (mixes with white for the light steps, with black for the dark one).

export const DEFAULT_PRIMARY = '#2E62E0'

export function parseHex(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim())
  if (!m) return null
  const n = parseInt(m[1], 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`
}

export function mix(a: [number, number, number], b: [number, number, number], weight: number): string {
  return toHex([0, 1, 2].map((i) => a[i] * (1 - weight) + b[i] * weight) as [number, number, number])
}

/** Relative luminance (WCAG). */
export function luminance([r, g, b]: [number, number, number]): number {
  const f = (v: number) => {
    const s = v / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
}

export function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

/** CSS variables for a primary colour, in the light or the dark theme. */
export function primaryVars(hex: string, dark: boolean): Record<string, string> {
  const rgb = parseHex(hex) ?? parseHex(DEFAULT_PRIMARY)!
  const white: [number, number, number] = [255, 255, 255]
  const black: [number, number, number] = [0, 0, 0]
  // In the dark theme the light steps mix towards the page background, as Element's dark css does.
  const towards: [number, number, number] = dark ? [20, 21, 24] : white
  const vars: Record<string, string> = { '--el-color-primary': toHex(rgb) }
  for (const step of [3, 5, 7, 8, 9]) vars[`--el-color-primary-light-${step}`] = mix(rgb, towards, step / 10)
  vars['--el-color-primary-dark-2'] = mix(rgb, dark ? white : black, 0.2)
  // Text on the primary colour (buttons, badges): white unless the colour is very light.
  vars['--p-on-primary'] = contrast(rgb, white) >= 3 ? '#ffffff' : '#1f2329'
  return vars
}
