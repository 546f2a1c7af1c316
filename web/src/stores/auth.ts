/** The signed-in user as told by GET /auth/me: permissions, menus, idle timeout. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi, type Me, type MenuItem } from '@/api/auth'

export const DEFAULT_IDLE_SECONDS = 1800

export const useAuthStore = defineStore('auth', () => {
  const user = ref<Me | null>(null)
  /** /auth/me has been asked at least once since the page loaded. */
  const loaded = ref(false)

  const permissions = computed(() => new Set(user.value?.permissions ?? []))
  const menus = computed<MenuItem[]>(() => user.value?.menus ?? [])
  const isLoggedIn = computed(() => user.value !== null)
  const idleTimeoutSeconds = computed(() => user.value?.idle_timeout_seconds || DEFAULT_IDLE_SECONDS)

  /** Holds the code (or any of the codes). */
  function has(code: string | string[] | undefined | null): boolean {
    if (!code || (Array.isArray(code) && code.length === 0)) return true
    const codes = Array.isArray(code) ? code : [code]
    return codes.some((c) => permissions.value.has(c))
  }

  function setUser(me: Me | null): void {
    user.value = me
    loaded.value = true
  }

  /** Ask the server who is logged in; null when nobody is (401). */
  async function fetchMe(): Promise<Me | null> {
    try {
      setUser(await authApi.me())
    } catch {
      setUser(null)
    }
    return user.value
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      /* the session may already be gone */
    }
    setUser(null)
  }

  function clear(): void {
    setUser(null)
  }

  return { user, loaded, permissions, menus, isLoggedIn, idleTimeoutSeconds, has, setUser, fetchMe, logout, clear }
})
