import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@/api/http'
import type { CustomRole, PermissionInfo, SystemRole, Permission } from '@/api/types'
import { rolesApi } from './api'
import { labelOf } from './logic'

/** The catalogue and the custom roles, loaded together, and how to show a refusal. */
export function useRoles() {
  const { t, te, locale } = useI18n()
  const catalogue = ref<PermissionInfo[]>([])
  const systemRoles = ref<{ name: SystemRole; permissions: Permission[] }[]>([])
  const roles = ref<CustomRole[]>([])
  const loading = ref(false)

  async function load(withRoles = true) {
    loading.value = true
    try {
      const [cat, list] = await Promise.all([rolesApi.catalogue(), withRoles ? rolesApi.list() : Promise.resolve([])])
      catalogue.value = cat.permissions
      systemRoles.value = cat.system_roles
      roles.value = list
    } catch (err) {
      fail(err)
    } finally {
      loading.value = false
    }
  }

  function label(name: Permission): string {
    const info = catalogue.value.find((p) => p.name === name)
    return info ? labelOf(info, locale.value).label : name
  }

  function fail(err: unknown) {
    const key = err instanceof ApiError ? `adminRoles.errors.${err.code}` : ''
    ElMessage.error(key && te(key) ? t(key) : t('common.error', { detail: err instanceof Error ? err.message : String(err) }))
  }

  return { catalogue, systemRoles, roles, loading, load, label, fail }
}
