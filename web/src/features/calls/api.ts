import { http } from '@/api/http'
import type { IceServers } from './logic'

export const callsApi = {
  /** STUN/TURN servers with short-lived TURN credentials: asked before each call. */
  iceServers: () => http.get<IceServers>('/calls/ice-servers'),
}
