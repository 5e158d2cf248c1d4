import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus components and their CSS are imported where templates use them (see
// vite.config.ts); only the services called from scripts need their CSS here.
import 'element-plus/es/components/base/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/theme-chalk/dark/css-vars.css'
import './styles/main.css'
import './styles/mobile.css'
import './features/mobile/install'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { onProblem, setUnauthorizedHandler } from './api/http'
import { useAuthStore } from './features/auth/store'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router)

// Any 401 from an authenticated call means the session is gone: back to login, keeping
// the route (and the drafts, which live in local storage) for after sign-in.
setUnauthorizedHandler(() => {
  const auth = useAuthStore(pinia)
  if (auth.status !== 'authenticated') return
  auth.forget(true)
  const current = router.currentRoute.value
  void router.replace({ name: 'login', query: { redirect: current.fullPath } })
})

// The server serves nothing but the password change until the user has chosen their own
// (an administrator reset it while this tab was open).
onProblem('password_change_required', () => {
  useAuthStore(pinia).requirePasswordChange()
  void router.replace({ name: 'change-password' })
})

app.mount('#app')
