import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import 'element-plus/theme-chalk/dark/css-vars.css'
import './styles/main.css'
import './styles/mobile.css'
import './features/mobile/install'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { setUnauthorizedHandler } from './api/http'
import { useAuthStore } from './features/auth/store'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(ElementPlus).use(router)

// Any 401 from an authenticated call means the session is gone: back to login, keeping
// the route (and the drafts, which live in local storage) for after sign-in.
setUnauthorizedHandler(() => {
  const auth = useAuthStore(pinia)
  if (auth.status !== 'authenticated') return
  auth.forget(true)
  const current = router.currentRoute.value
  void router.replace({ name: 'login', query: { redirect: current.fullPath } })
})

app.mount('#app')
