import type { RouteRecordRaw } from 'vue-router'
import { heldPermissions, opensConsole, refreshPermissions } from './access'
import { sections } from './sections'

async function permissionsNow(): Promise<string[]> {
  await refreshPermissions().catch(() => {})
  return heldPermissions()
}

/** `/admin` (inside the main layout: the socket, calls and unread counts carry on) and one
 * child route per section; each checks its permission on entry. */
export const adminRoute: RouteRecordRaw = {
  path: 'admin',
  component: () => import('./AdminLayout.vue'),
  beforeEnter: async () => (opensConsole(await permissionsNow()) ? true : { name: 'chats' }),
  children: [
    { path: '', name: 'admin', component: () => import('./AdminHome.vue') },
    ...sections.map(
      (s): RouteRecordRaw => ({
        path: s.path,
        name: `admin-${s.path}`,
        component: s.component,
        meta: { adminLabel: s.label },
        beforeEnter: async () => ((await permissionsNow()).includes(s.permission) ? true : { name: 'admin' }),
      }),
    ),
  ],
}
