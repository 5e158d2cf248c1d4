import type { RouteRecordRaw } from 'vue-router'

/** `/admin/roles`, a child of the main layout (or of the admin shell, when there is one). */
export const rolesRoute: RouteRecordRaw = {
  path: 'admin/roles',
  name: 'admin-roles',
  component: () => import('./RolesPage.vue'),
  meta: { permission: 'manage_roles' },
}
