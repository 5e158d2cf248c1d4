import type { Component } from 'vue'
import { DataLine, Setting, User, ChatLineRound, Key, OfficeBuilding, Link } from '@element-plus/icons-vue'
import type { Permission } from './api'

/** A page of the admin console: its nav entry and route (`/admin/<path>`). Another part
 * of the console adds its page by appending an entry here; nothing else needs editing.
 * `label` is an i18n key; the page shows only to holders of `permission`. */
export interface AdminSection {
  path: string
  label: string
  permission: Permission
  component: () => Promise<Component | { default: Component }>
  icon?: Component
}

export const sections: AdminSection[] = [
  { path: 'dashboard', label: 'admin.nav.dashboard', permission: 'manage_settings', icon: DataLine, component: () => import('./dashboard/DashboardPage.vue') },
  { path: 'users', label: 'admin.nav.users', permission: 'manage_users', icon: User, component: () => import('./users/UsersPage.vue') },
  { path: 'departments', label: 'admin.nav.departments', permission: 'manage_departments', icon: OfficeBuilding, component: () => import('./departments/DepartmentsAdmin.vue') },
  { path: 'roles', label: 'admin.nav.roles', permission: 'manage_roles', icon: Key, component: () => import('./roles/RolesPage.vue') },
  { path: 'invitations', label: 'admin.nav.invitations', permission: 'manage_users', icon: Link, component: () => import('./invitations/InvitationsPage.vue') },
  { path: 'groups', label: 'admin.nav.groups', permission: 'manage_groups', icon: ChatLineRound, component: () => import('./groups/GroupsPage.vue') },
  { path: 'settings', label: 'admin.nav.settings', permission: 'manage_settings', icon: Setting, component: () => import('./settings/OrgSettingsPage.vue') },
]

/** The sections someone holding `permissions` may open, in nav order. */
export function allowedSections(permissions: readonly string[], all: readonly AdminSection[] = sections): AdminSection[] {
  return all.filter((s) => permissions.includes(s.permission))
}
