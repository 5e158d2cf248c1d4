/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180); a leading
 * =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** A CSV file (UTF-8 with a BOM, so Excel reads Chinese names) of a header and rows. */
export function toCsv(header: string[], rows: string[][]): string {
  return '\ufeff' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** Offer `text` as a download named `name`. */
export function download(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
