// Dates as chat apps show them: time today, "Yesterday", weekday within a week, else a date.

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

export function dayDiff(iso: string, now = new Date()): number {
  return Math.round((startOfDay(now) - startOfDay(new Date(iso))) / 86_400_000)
}

export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso))
}

export function formatListTime(iso: string, locale: string, yesterday: string, now = new Date()): string {
  const diff = dayDiff(iso, now)
  const d = new Date(iso)
  if (diff <= 0) return formatTime(iso, locale)
  if (diff === 1) return yesterday
  if (diff < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(d)
  if (d.getFullYear() === now.getFullYear()) return new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric' }).format(d)
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' }).format(d)
}

export function formatDay(iso: string, locale: string, today: string, yesterday: string, now = new Date()): string {
  const diff = dayDiff(iso, now)
  if (diff === 0) return today
  if (diff === 1) return yesterday
  const d = new Date(iso)
  const opts: Intl.DateTimeFormatOptions =
    d.getFullYear() === now.getFullYear()
      ? { month: 'long', day: 'numeric', weekday: 'short' }
      : { year: 'numeric', month: 'long', day: 'numeric' }
  return new Intl.DateTimeFormat(locale, opts).format(d)
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
