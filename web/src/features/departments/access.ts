/** Whether the signed-in account may open the directory (GET /users/me lists permissions). */
export function canBrowseDirectory(me: object | null | undefined): boolean {
  const permissions = (me as { permissions?: string[] } | null)?.permissions
  return !permissions || permissions.includes('view_directory') || permissions.includes('manage_departments')
}
