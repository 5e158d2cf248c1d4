import type { RouteRecordRaw } from 'vue-router'

/** The department editor as a standalone page; the admin console mounts it at /admin/departments. */
export const departmentsRoute: RouteRecordRaw = {
  path: '/admin/departments',
  name: 'admin-departments',
  component: () => import('./DepartmentsAdmin.vue'),
}
