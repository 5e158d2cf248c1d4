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
  kind?: 'group'
  participant_ids?: string[]
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
    key: r.kind === 'group' ? 'calls.record.group' : `calls.record.${outcome}`,
    params: {
      media: mediaLabel(r.media === 'audio' ? 'audio' : 'video'),
      caller: name(r.caller_id),
      duration: formatDuration(r.duration_seconds ?? 0),
      ...(r.kind === 'group' ? { count: String(r.participant_ids?.length ?? 0) } : {}),
    },
  }
}

export type Quality = 'good' | 'fair' | 'poor' | 'unknown'

export interface LinkStats {
  /** Round-trip time of the selected candidate pair, in seconds. */
  rtt: number | null
  /** Packets lost and received on incoming streams since the previous sample. */
  lost: number
  received: number
}

/** The network-quality badge from getStats() numbers: loss weighs more than delay. */
export function quality(s: LinkStats): Quality {
  const total = s.lost + s.received
  if (s.rtt === null && total === 0) return 'unknown'
  const loss = total ? s.lost / total : 0
  const rtt = s.rtt ?? 0
  if (loss > 0.1 || rtt > 0.5) return 'poor'
  if (loss > 0.02 || rtt > 0.2) return 'fair'
  return 'good'
}

/** Reads a getStats() report into LinkStats, given the previous cumulative packet counts. */
export function linkStats(
  report: Iterable<Record<string, unknown>>,
  previous: { lost: number; received: number },
): { stats: LinkStats; totals: { lost: number; received: number } } {
  let rtt: number | null = null
  let lost = 0
  let received = 0
  for (const r of report) {
    if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && typeof r.currentRoundTripTime === 'number') {
      rtt = r.currentRoundTripTime
    } else if (r.type === 'inbound-rtp') {
      lost += Number(r.packetsLost ?? 0)
      received += Number(r.packetsReceived ?? 0)
    }
  }
  return {
    stats: { rtt, lost: Math.max(0, lost - previous.lost), received: Math.max(0, received - previous.received) },
    totals: { lost, received },
  }
}

/** What `GET /calls/ice-servers` answers. */
export interface IceServers {
  ice_servers: RTCIceServer[]
  ttl_seconds: number
  ice_transport_policy: RTCIceTransportPolicy
}

/** The RTCPeerConnection configuration: with "relay" (PARLEY_CALL_RELAY_ONLY) the browser
 * gathers and uses only TURN relay candidates, so media goes through the TURN server. */
export function rtcConfig(r: IceServers): RTCConfiguration {
  return { iceServers: r.ice_servers, iceTransportPolicy: r.ice_transport_policy === 'relay' ? 'relay' : 'all' }
}

/** A participant of a meeting as the server lists it (`meeting.*` frames). */
export interface MeetingParticipant {
  user_id: string
  device: string
  feed_id: number
  joined_at: string
  hand_raised: boolean
  muted_by_host: boolean
  sharing: boolean
}

/** A running meeting as members see it (`GET /calls/meetings/{id}`, `meeting.*` frames). */
export interface MeetingInfo {
  call_id: string
  conversation_id: string
  media: Media
  host_id: string
  started_at: string
  participants: MeetingParticipant[]
}

/** The feed shown large: a shared screen if someone shares one, else none (the grid). */
export function stageFeed(participants: MeetingParticipant[]): number | null {
  return participants.find((p) => p.sharing)?.feed_id ?? null
}

/** Tiles in a stable order: raised hands first (the host sees them), then by arrival. */
export function tileOrder(participants: MeetingParticipant[]): MeetingParticipant[] {
  return [...participants].sort((a, b) => Number(b.hand_raised) - Number(a.hand_raised) || a.joined_at.localeCompare(b.joined_at))
}

/** Feeds to start and stop receiving, from the feeds Janus announces and what we hold. */
export function feedChanges(wanted: number[], held: number[], mine: number): { add: number[]; drop: number[] } {
  const want = new Set(wanted.filter((f) => f !== mine))
  const have = new Set(held)
  return { add: [...want].filter((f) => !have.has(f)), drop: [...have].filter((f) => !want.has(f)) }
}
