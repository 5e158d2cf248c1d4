import type { Component } from 'vue'

/** Editors the user drawer mounts below the account form, each with `userId` as its only
 * prop, lazily loaded. `label` is an
 * i18n key. */
export interface UserEditor {
  key: string
  label: string
  component: () => Promise<Component | { default: Component }>
}

export const userEditors: UserEditor[] = [
  { key: 'roles', label: 'admin.users.rolesTab', component: () => import('../roles/UserRolesEditor.vue') },
  { key: 'org', label: 'admin.users.orgTab', component: () => import('../departments/UserOrgEditor.vue') },
]
