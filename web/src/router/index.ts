/** History-mode router with the login guard and page permission checks. */
import { createRouter, createWebHistory, type Router } from 'vue-router'
import { mustChangePassword } from '@/api/auth'
import { useAuthStore } from '@/stores/auth'
import { pagePerms, routes } from './routes'

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (to.meta.public) return true
    if (!auth.loaded) await auth.fetchMe()
    if (!auth.user) return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    if (mustChangePassword(auth.user)) return { path: '/login', query: { step: 'password' } }
    if (to.meta.perm && !auth.has(pagePerms(to.meta.perm))) return { path: '/403' }
    return true
  })
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} - 县域医共体协同平台` : '县域医共体协同平台'
  })
}

export function makeRouter(): Router {
  const router = createRouter({
    history: createWebHistory('/'),
    routes,
    scrollBehavior: () => ({ top: 0 }),
  })
  installGuards(router)
  return router
}
