// Group calls (meetings): the socket's `meeting.*` frames say which meetings run in which
// group and who is in them; once Parley admits this device (`meeting.joined`, with a
// one-time token) it publishes to the Janus room and receives every other feed from it.
// The speaking indicator comes from Janus's `talking` events (audio levels it measures).
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { ElMessage } from 'element-plus'
import { i18n } from '@/i18n'
import type { Frame } from '@/features/realtime/socket'
import { http } from '@/api/http'
import { useAuthStore } from '@/features/auth/store'
import { callsApi } from './api'
import { JanusSession, type Json } from './janus'
import { feedChanges, rtcConfig, type Media, type MeetingInfo, type MeetingParticipant } from './logic'

type Send = (frame: Frame) => boolean
interface Joined {
  url: string
  room: number
  token: string
  feed_id: number
  display: string
}


export const useMeetingsStore = defineStore('meetings', () => {
  /** Running meetings by conversation (the banners), as far as this client heard. */
  const running = ref<Record<string, MeetingInfo>>({})
  /** Meetings others started that this client was not in yet: the "join" ring. */
  const ringing = ref<MeetingInfo | null>(null)
  const current = ref<MeetingInfo | null>(null)
  const myFeed = ref<number | null>(null)
  const localStream = shallowRef<MediaStream | null>(null)
  const remote = ref<Record<number, MediaStream>>({})
  const speaking = ref<Record<number, boolean>>({})
  const muted = ref(false)
  const cameraOff = ref(false)
  const sharing = ref(false)
  const available = ref(true)
  let send: Send = () => false
  let pendingRef: string | null = null
  let janus: JanusSession | null = null
  let room = 0
  let privateId = 0
  let ice: RTCConfiguration = {}
  let publisher: { handle: number; pc: RTCPeerConnection } | null = null
  const subscribers = new Map<number, { handle: number; pc: RTCPeerConnection }>()
  let camera: MediaStreamTrack | null = null
  let screen: MediaStreamTrack | null = null

  const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params)
  const me = computed(() => current.value?.participants.find((p) => p.feed_id === myFeed.value) ?? null)
  const isHost = computed(() => !!current.value && !!me.value && current.value.host_id === me.value.user_id)

  function bind(sender: Send) {
    send = sender
  }

  /** Whether a meeting runs in this conversation (asked when it is opened). */
  async function load(conversationId: string) {
    try {
      const r = await http.get<{ available: boolean; meeting: MeetingInfo | null }>(`/calls/meetings/${conversationId}`)
      available.value = r.available
      if (r.meeting) running.value = { ...running.value, [conversationId]: r.meeting }
      else forget(conversationId)
    } catch {
      /* the banner stays as it was */
    }
  }

  function forget(conversationId: string) {
    const { [conversationId]: _gone, ...rest } = running.value
    running.value = rest
  }

  async function begin(frame: Frame, kind: Media) {
    if (current.value || pendingRef) return
    try {
      localStream.value = await navigator.mediaDevices.getUserMedia({ audio: true, video: kind === 'video' })
    } catch (e) {
      ElMessage.error(t('calls.errors.media', { detail: (e as Error).message }))
      return
    }
    pendingRef = `meeting-${Date.now()}`
    send({ ...frame, ref: pendingRef })
  }

  const start = (conversationId: string, kind: Media) => begin({ type: 'meeting.start', conversation_id: conversationId, media: kind }, kind)
  function join(info: MeetingInfo) {
    ringing.value = null
    void begin({ type: 'meeting.join', call_id: info.call_id }, info.media)
  }

  function act(type: string, extra: Record<string, unknown> = {}) {
    if (current.value) send({ type, call_id: current.value.call_id, ...extra })
  }

  function leave() {
    act('meeting.leave')
    cleanup()
  }

  function toggleMute() {
    muted.value = !muted.value
    localStream.value?.getAudioTracks().forEach((tr) => (tr.enabled = !muted.value))
    if (!muted.value && me.value?.muted_by_host) act('meeting.unmute')
  }

  function toggleCamera() {
    cameraOff.value = !cameraOff.value
    localStream.value?.getVideoTracks().forEach((tr) => (tr.enabled = !cameraOff.value))
  }

  const toggleHand = () => act('meeting.hand', { raised: !me.value?.hand_raised })
  const muteOther = (userId: string) => act('meeting.mute', { user_id: userId })
  const removeOther = (userId: string) => act('meeting.remove', { user_id: userId })
  const endForAll = () => act('meeting.end')

  /** The screen replaces the camera on this device's feed (no new token, no new feed);
   * the others show the sharing feed large. */
  async function toggleShare() {
    const sender = publisher?.pc.getSenders().find((s) => s.track?.kind === 'video')
    if (!sender) return
    if (sharing.value) {
      await sender.replaceTrack(camera)
      screen?.stop()
      screen = null
      sharing.value = false
      act('meeting.share', { sharing: false })
      return
    }
    try {
      screen = (await navigator.mediaDevices.getDisplayMedia({ video: true })).getVideoTracks()[0]
    } catch {
      return
    }
    camera = sender.track
    await sender.replaceTrack(screen)
    screen.onended = () => sharing.value && void toggleShare()
    sharing.value = true
    act('meeting.share', { sharing: true })
  }

  async function connect(j: Joined) {
    ice = rtcConfig(await callsApi.iceServers())
    room = j.room
    myFeed.value = j.feed_id
    janus = new JanusSession(j.url, onJanusEvent)
    await janus.open()
    const handle = await janus.attach()
    const joined = await janus.request(handle, { request: 'join', ptype: 'publisher', room, id: j.feed_id, display: j.display, token: j.token }, null, (d) => d.videoroom === 'joined')
    privateId = joined.plugindata.data.private_id
    const pc = new RTCPeerConnection(ice)
    publisher = { handle, pc }
    localStream.value?.getTracks().forEach((tr) => pc.addTrack(tr, localStream.value as MediaStream))
    pc.onicecandidate = (ev) => janus?.trickle(handle, ev.candidate?.toJSON() ?? null)
    await pc.setLocalDescription(await pc.createOffer())
    const answer = await janus.request(handle, { request: 'publish' }, pc.localDescription, (_d, e) => !!e.jsep)
    await pc.setRemoteDescription(answer.jsep)
    announced = (joined.plugindata.data.publishers ?? []).map((p: Json) => Number(p.id))
    syncFeeds(announced)
  }

  /** Receive exactly the feeds Janus has (but our own). */
  function syncFeeds(feeds: number[]) {
    const { add, drop } = feedChanges(feeds, [...subscribers.keys()], myFeed.value ?? 0)
    add.forEach((f) => void subscribe(f).catch(() => undefined))
    drop.forEach(unsubscribe)
  }

  let announced: number[] = []
  function onJanusEvent(handle: number, e: Json) {
    const data = e.plugindata?.data ?? {}
    if (publisher && handle === publisher.handle) {
      if (data.publishers) announced = [...new Set([...announced, ...data.publishers.map((p: Json) => Number(p.id))])]
      const gone = Number(data.unpublished ?? data.leaving ?? 0)
      if (gone) announced = announced.filter((f) => f !== gone)
      if (data.publishers || gone) syncFeeds(announced)
      if ((data.leaving === 'ok' && data.reason === 'kicked') || e.janus === 'hangup') cleanup()
      if (data.videoroom === 'talking' || data.videoroom === 'stopped-talking') {
        speaking.value = { ...speaking.value, [Number(data.id)]: data.videoroom === 'talking' }
      }
    }
  }

  async function subscribe(feed: number) {
    if (!janus || subscribers.has(feed)) return
    const handle = await janus.attach()
    const pc = new RTCPeerConnection(ice)
    subscribers.set(feed, { handle, pc })
    pc.ontrack = (ev) => {
      // A new stream object per track, so what shows it (video or avatar) updates.
      const stream = new MediaStream([...(remote.value[feed]?.getTracks() ?? []), ev.track])
      remote.value = { ...remote.value, [feed]: stream }
    }
    pc.onicecandidate = (ev) => janus?.trickle(handle, ev.candidate?.toJSON() ?? null)
    const attached = await janus.request(handle, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }], private_id: privateId }, null, (d) => d.videoroom === 'attached')
    await pc.setRemoteDescription(attached.jsep)
    await pc.setLocalDescription(await pc.createAnswer())
    await janus.request(handle, { request: 'start' }, pc.localDescription)
  }

  function unsubscribe(feed: number) {
    const sub = subscribers.get(feed)
    if (!sub) return
    sub.pc.close()
    void janus?.detach(sub.handle)
    subscribers.delete(feed)
    const { [feed]: _gone, ...rest } = remote.value
    remote.value = rest
  }

  function update(info: MeetingInfo) {
    running.value = { ...running.value, [info.conversation_id]: info }
    if (current.value?.call_id === info.call_id) current.value = info
  }

  function onFrame(frame: Frame) {
    const info = frame as unknown as MeetingInfo & Json
    switch (frame.type) {
      case 'meeting.started':
        update(info)
        if (!current.value && !pendingRef && frame.by !== useAuthStore().me?.id) ringing.value = info
        break
      case 'meeting.updated':
        update(info)
        break
      case 'meeting.joined':
        if (frame.ref !== pendingRef) break
        pendingRef = null
        current.value = info
        update(info)
        connect(frame.janus as Joined).catch(() => {
          ElMessage.error(t('calls.meeting.errors.media'))
          leave()
        })
        break
      case 'meeting.ended':
        forget(info.conversation_id)
        if (ringing.value?.call_id === info.call_id) ringing.value = null
        if (current.value?.call_id === info.call_id) {
          ElMessage.info(t(`calls.meeting.ended.${String(frame.reason)}`))
          cleanup()
        }
        break
      case 'meeting.left':
        if (current.value?.call_id === frame.call_id) {
          ElMessage.warning(t(`calls.meeting.left.${String(frame.reason)}`))
          cleanup()
        }
        break
      case 'meeting.mute':
        if (current.value?.call_id !== frame.call_id) break
        muted.value = true
        localStream.value?.getAudioTracks().forEach((tr) => (tr.enabled = false))
        ElMessage.info(t('calls.meeting.mutedByHost'))
        break
      case 'error':
        if (frame.ref && frame.ref === pendingRef) {
          const code = String(frame.code)
          const known = ['sfu_unavailable', 'removed_from_meeting'].includes(code)
          ElMessage.error(known ? t(`calls.meeting.errors.${code}`) : t('calls.meeting.errors.other', { code }))
          if (code === 'sfu_unavailable') available.value = false
          cleanup()
        }
        break
    }
  }

  function cleanup() {
    for (const feed of [...subscribers.keys()]) unsubscribe(feed)
    publisher?.pc.close()
    publisher = null
    janus?.close()
    janus = null
    localStream.value?.getTracks().forEach((tr) => tr.stop())
    screen?.stop()
    screen = null
    camera = null
    localStream.value = null
    current.value = null
    myFeed.value = null
    pendingRef = null
    announced = []
    remote.value = {}
    speaking.value = {}
    muted.value = false
    cameraOff.value = false
    sharing.value = false
  }

  return {
    running, ringing, current, myFeed, me, isHost, localStream, remote, speaking, muted, cameraOff, sharing, available,
    bind, load, start, join, leave, toggleMute, toggleCamera, toggleHand, toggleShare, muteOther, removeOther, endForAll, onFrame,
    dismiss: () => (ringing.value = null),
  }
})

export type { MeetingParticipant }
