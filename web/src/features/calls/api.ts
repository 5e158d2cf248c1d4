import { http } from '@/api/http'

export const callsApi = {
  /** STUN/TURN servers with short-lived TURN credentials: asked before each call. */
  iceServers: () => http.get<{ ice_servers: RTCIceServer[]; ttl_seconds: number }>('/calls/ice-servers'),
}
