import type { RouteRecordRaw } from 'vue-router'

/** The admin console's invitations page, for the lead to mount under `/admin`. */
export const invitationsRoute: RouteRecordRaw = {
  path: 'invitations',
  name: 'admin-invitations',
  component: () => import('./InvitationsPage.vue'),
  meta: { permission: 'manage_users' },
}
