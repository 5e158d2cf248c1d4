import { http } from '@/api/http'
import type { Branding, BrandingUpdate } from '@/api/types'

export const orgApi = {
  branding: () => http.get<Branding>('/branding', undefined, { anonymous: true }),
  updateBranding: (body: BrandingUpdate) => http.put<Branding>('/branding', body),
}
