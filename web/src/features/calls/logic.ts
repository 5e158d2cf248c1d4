// Pure helpers of the calls feature (unit-tested in logic.test.ts).

export type Media = 'audio' | 'video'
export type Phase = 'idle' | 'outgoing' | 'incoming' | 'active'

/** "m:ss" (or "h:mm:ss") for a call's talk time. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

export interface CallRecord {
  outcome: string
  media: Media
  caller_id: string
  callee_id: string
  duration_seconds: number
}

const OUTCOMES = new Set(['completed', 'missed', 'declined', 'cancelled', 'busy'])

/** The i18n key and parameters of a call record in the chat (`system.event === 'call'`). */
export function recordText(
  r: CallRecord,
  name: (userId: string) => string,
  mediaLabel: (media: Media) => string,
): { key: string; params: Record<string, string> } {
  const outcome = OUTCOMES.has(r.outcome) ? r.outcome : 'completed'
  return {
    key: `calls.record.${outcome}`,
    params: {
      media: mediaLabel(r.media === 'audio' ? 'audio' : 'video'),
      caller: name(r.caller_id),
      duration: formatDuration(r.duration_seconds ?? 0),
    },
  }
}
