import { createRouter, createWebHistory } from 'vue-router'
import { useAuthStore } from './features/auth/store'
import { adminRoute } from './features/admin/routes'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./features/auth/components/SetupPage.vue') },
    { path: '/login', name: 'login', component: () => import('./features/auth/components/LoginPage.vue') },
    { path: '/invite/:token', name: 'invite', component: () => import('./features/guests/components/InvitePage.vue') },
    { path: '/change-password', name: 'change-password', component: () => import('./features/auth/components/ChangePasswordPage.vue') },
    {
      path: '/',
      component: () => import('./layouts/MainLayout.vue'),
      children: [
        { path: '', name: 'chats', component: () => import('./features/conversations/components/ChatsView.vue') },
        { path: 'c/:id', name: 'chat', component: () => import('./features/conversations/components/ChatsView.vue') },
        { path: 'c/:id/m/:mid', name: 'message', component: () => import('./features/conversations/components/ChatsView.vue') },
        { path: 'mentions', name: 'mentions', component: () => import('./features/messages/components/MentionsView.vue') },
        { path: 'favorites', name: 'favorites', component: () => import('./features/messages/components/FavoritesView.vue') },
        { path: 'search', name: 'search', component: () => import('./features/search/components/SearchView.vue') },
        { path: 'contacts', name: 'contacts', component: () => import('./features/users/components/ContactsView.vue') },
        { path: 'settings', name: 'settings', component: () => import('./features/settings/components/SettingsView.vue') },
        { path: 'me', name: 'me', component: () => import('./layouts/MeView.vue') },
        { path: 'directory', name: 'directory', component: () => import('./features/departments/components/DirectoryView.vue') },
        adminRoute,
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

let booted: Promise<void> | null = null

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (auth.status === 'unknown') {
    booted ??= auth.bootstrap().catch(() => {
      auth.status = 'anonymous'
    })
    await booted
  }
  if (auth.status === 'needs-setup') return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'invite') return true // anyone holding the link, signed in or not
  if (to.name === 'setup') return { name: auth.status === 'authenticated' ? 'chats' : 'login' }
  if (auth.status !== 'authenticated' && to.name !== 'login') {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  // An administrator set the password: nothing else until the user has chosen their own.
  if (auth.status === 'authenticated' && auth.mustChangePassword) return to.name === 'change-password' ? true : { name: 'change-password' }
  if (to.name === 'change-password') return { name: auth.status === 'authenticated' ? 'chats' : 'login' }
  if (auth.status === 'authenticated' && to.name === 'login') return { name: 'chats' }
  if (to.name === 'contacts' && !auth.can('view_directory')) return { name: 'chats' } // guests
  return true
})
