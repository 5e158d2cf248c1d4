import { inject, provide, ref, type InjectionKey, type Ref } from 'vue'

/** Picking several messages of the open conversation (to forward them). */
export interface Selection {
  active: Ref<boolean>
  ids: Ref<string[]>
  start: (id: string) => void
  toggle: (id: string) => void
  clear: () => void
}

const KEY: InjectionKey<Selection> = Symbol('selection')

export function provideSelection(): Selection {
  const active = ref(false)
  const ids = ref<string[]>([])
  const sel: Selection = {
    active,
    ids,
    start: (id) => {
      active.value = true
      ids.value = [id]
    },
    toggle: (id) => {
      ids.value = ids.value.includes(id) ? ids.value.filter((x) => x !== id) : [...ids.value, id]
    },
    clear: () => {
      active.value = false
      ids.value = []
    },
  }
  provide(KEY, sel)
  return sel
}

export function useSelection(): Selection | null {
  return inject(KEY, null)
}
