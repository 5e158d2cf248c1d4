// One 1:1 call at a time: the socket frames (`call.*`, see docs/api.md) drive the phase,
// and the RTCPeerConnection follows. The caller makes the offer once the callee has
// accepted; candidates trickle; a failed ICE connection is restarted with a new offer.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { ElMessage } from 'element-plus'
import { i18n } from '@/i18n'
import type { Frame } from '@/features/realtime/socket'
import { callsApi } from './api'
import { linkStats, quality, rtcConfig, type Media, type Phase, type Quality } from './logic'

type Send = (frame: Frame) => boolean
const STATS_EVERY_MS = 2000

export const useCallsStore = defineStore('calls', () => {
  const phase = ref<Phase>('idle')
  const callId = ref<string | null>(null)
  const peerId = ref<string | null>(null)
  const media = ref<Media>('video')
  const isCaller = ref(false)
  const connected = ref(false)
  const answeredAt = ref<number | null>(null)
  const muted = ref(false)
  const cameraOff = ref(false)
  const network = ref<Quality>('unknown')
  /** Microphones and cameras to choose from during a call. */
  const devices = ref<MediaDeviceInfo[]>([])
  let statsTimer: ReturnType<typeof setInterval> | null = null
  let packets = { lost: 0, received: 0 }
  const localStream = shallowRef<MediaStream | null>(null)
  const remoteStream = shallowRef<MediaStream | null>(null)
  let pc: RTCPeerConnection | null = null
  let send: Send = () => false
  let inviteRef: string | null = null
  // Signals are applied one after another (an answer must be set before its candidates).
  let signals: Promise<void> = Promise.resolve()

  function bind(sender: Send) {
    send = sender
  }

  const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params)

  async function getMedia(kind: Media): Promise<MediaStream> {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: kind === 'video' })
    } catch (e) {
      ElMessage.error(t('calls.errors.media', { detail: (e as Error).message }))
      throw e
    }
  }

  async function start(conversationId: string, peer: string, kind: Media) {
    if (phase.value !== 'idle') return
    phase.value = 'outgoing'
    isCaller.value = true
    peerId.value = peer
    media.value = kind
    try {
      localStream.value = await getMedia(kind)
    } catch {
      cleanup()
      return
    }
    inviteRef = `call-${Date.now()}`
    send({ type: 'call.invite', conversation_id: conversationId, media: kind, ref: inviteRef })
  }

  async function accept() {
    const id = callId.value
    if (phase.value !== 'incoming' || !id) return
    let stream: MediaStream
    try {
      stream = await getMedia(media.value)
    } catch {
      decline()
      return
    }
    // The caller may have given up while the camera was starting.
    if (callId.value !== id) {
      stream.getTracks().forEach((tr) => tr.stop())
      return
    }
    localStream.value = stream
    try {
      await connect()
    } catch {
      decline() // no ICE servers (network or session gone): do not leave the caller ringing
      return
    }
    if (callId.value === id) send({ type: 'call.accept', call_id: id })
    else cleanup()
  }

  function decline() {
    if (callId.value) send({ type: 'call.reject', call_id: callId.value })
    cleanup()
  }

  /** Cancel while ringing, hang up once connected (the server tells which it was). */
  function hangUp() {
    if (callId.value) send({ type: 'call.hangup', call_id: callId.value })
    cleanup()
  }

  async function loadDevices() {
    devices.value = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' || d.kind === 'videoinput')
  }

  /** Switch microphone or camera mid-call: the new track replaces the old one in place,
   * with no renegotiation. */
  async function useDevice(kind: 'audioinput' | 'videoinput', deviceId: string) {
    const stream = localStream.value
    if (!stream) return
    const audio = kind === 'audioinput'
    const fresh = await navigator.mediaDevices.getUserMedia(audio ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } })
    const track = audio ? fresh.getAudioTracks()[0] : fresh.getVideoTracks()[0]
    track.enabled = audio ? !muted.value : !cameraOff.value
    const old = audio ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0]
    const sender = pc?.getSenders().find((s) => s.track === old)
    await sender?.replaceTrack(track)
    if (old) {
      stream.removeTrack(old)
      old.stop()
    }
    stream.addTrack(track)
    localStream.value = new MediaStream(stream.getTracks())
  }

  function currentDevice(kind: 'audioinput' | 'videoinput'): string {
    const track = kind === 'audioinput' ? localStream.value?.getAudioTracks()[0] : localStream.value?.getVideoTracks()[0]
    return track?.getSettings().deviceId ?? ''
  }

  function toggleMute() {
    muted.value = !muted.value
    localStream.value?.getAudioTracks().forEach((tr) => (tr.enabled = !muted.value))
  }

  function toggleCamera() {
    cameraOff.value = !cameraOff.value
    localStream.value?.getVideoTracks().forEach((tr) => (tr.enabled = !cameraOff.value))
  }

  async function connect() {
    const conn = new RTCPeerConnection(rtcConfig(await callsApi.iceServers()))
    pc = conn
    localStream.value?.getTracks().forEach((tr) => conn.addTrack(tr, localStream.value as MediaStream))
    conn.ontrack = (ev) => {
      remoteStream.value = ev.streams[0] ?? new MediaStream([ev.track])
    }
    conn.onicecandidate = (ev) => {
      if (ev.candidate && callId.value) send({ type: 'call.signal', call_id: callId.value, kind: 'candidate', candidate: ev.candidate.toJSON() })
    }
    statsTimer = setInterval(() => void sample(conn), STATS_EVERY_MS)
    conn.oniceconnectionstatechange = () => {
      const s = conn.iceConnectionState
      connected.value = s === 'connected' || s === 'completed'
      // A network change: the caller renegotiates with new candidates (an ICE restart).
      if (s === 'failed' && isCaller.value) void offer(true)
    }
  }

  /** The network-quality badge: the connection's RTT and the loss since the last sample. */
  async function sample(conn: RTCPeerConnection) {
    const report = await conn.getStats()
    const { stats, totals } = linkStats(report.values() as Iterable<Record<string, unknown>>, packets)
    packets = totals
    network.value = quality(stats)
  }

  async function offer(iceRestart = false) {
    if (!pc || !callId.value) return
    await pc.setLocalDescription(await pc.createOffer({ iceRestart }))
    send({ type: 'call.signal', call_id: callId.value, kind: 'offer', sdp: pc.localDescription?.sdp })
  }

  async function applySignal(frame: Frame) {
    if (!pc || frame.call_id !== callId.value) return
    if (frame.kind === 'offer') {
      await pc.setRemoteDescription({ type: 'offer', sdp: String(frame.sdp) })
      await pc.setLocalDescription(await pc.createAnswer())
      send({ type: 'call.signal', call_id: callId.value, kind: 'answer', sdp: pc.localDescription?.sdp })
    } else if (frame.kind === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: String(frame.sdp) })
    } else if (frame.kind === 'candidate' && frame.candidate) {
      await pc.addIceCandidate(frame.candidate as RTCIceCandidateInit)
    }
  }

  function onFrame(frame: Frame) {
    switch (frame.type) {
      case 'call.ringing':
        if (frame.ref === inviteRef) callId.value = String(frame.call_id)
        break
      case 'call.invite':
        if (phase.value !== 'idle') break
        phase.value = 'incoming'
        isCaller.value = false
        callId.value = String(frame.call_id)
        peerId.value = String(frame.caller_id)
        media.value = frame.media === 'audio' ? 'audio' : 'video'
        break
      case 'call.accepted':
        if (frame.call_id !== callId.value) break
        phase.value = 'active'
        answeredAt.value = Date.now()
        if (isCaller.value) void connect().then(() => offer()).catch(() => hangUp())
        break
      case 'call.signal':
        signals = signals.then(() => applySignal(frame)).catch(() => undefined)
        break
      case 'call.ended': {
        const mine = frame.call_id === callId.value || (frame.ref && frame.ref === inviteRef)
        if (!mine) break
        ElMessage.info(t(`calls.ended.${String(frame.reason)}`))
        cleanup()
        break
      }
      case 'error':
        if (frame.ref && frame.ref === inviteRef) {
          const code = String(frame.code)
          ElMessage.error(code === 'already_in_call' ? t('calls.errors.already_in_call') : t('calls.errors.other', { code }))
          cleanup()
        }
        break
    }
  }

  function cleanup() {
    if (statsTimer) clearInterval(statsTimer)
    statsTimer = null
    packets = { lost: 0, received: 0 }
    network.value = 'unknown'
    pc?.close()
    pc = null
    localStream.value?.getTracks().forEach((tr) => tr.stop())
    localStream.value = null
    remoteStream.value = null
    phase.value = 'idle'
    callId.value = null
    peerId.value = null
    inviteRef = null
    connected.value = false
    answeredAt.value = null
    muted.value = false
    cameraOff.value = false
    signals = Promise.resolve()
  }

  return {
    phase, callId, peerId, media, isCaller, connected, answeredAt, muted, cameraOff, network, devices, localStream, remoteStream,
    bind, loadDevices, useDevice, currentDevice, start, accept, decline, hangUp, toggleMute, toggleCamera, onFrame,
  }
})
