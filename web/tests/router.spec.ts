import { describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { installGuards } from '@/router'
import { pages, routes } from '@/router/routes'
import { fakeBackend, makeMe } from './helpers'

function router() {
  const r = createRouter({ history: createMemoryHistory(), routes })
  installGuards(r)
  return r
}

describe('router guard', () => {
  it('sends anonymous users to the login page with the way back', async () => {
    fakeBackend(() => ({ status: 401, data: { code: 'NOT_AUTHENTICATED', message: '请先登录。', fields: {} } }))
    setActivePinia(createPinia())
    const r = router()
    await r.push('/org/staff?page=2')
    expect(r.currentRoute.value.path).toBe('/login')
    expect(r.currentRoute.value.query.redirect).toBe('/org/staff?page=2')
  })

  it('opens pages the user holds and refuses the others', async () => {
    fakeBackend(() => ({ data: makeMe({ permissions: ['org.staff.view'] }) }))
    setActivePinia(createPinia())
    const r = router()
    await r.push('/org/staff')
    expect(r.currentRoute.value.path).toBe('/org/staff')
    await r.push('/audit/logs')
    expect(r.currentRoute.value.path).toBe('/403')
  })

  it('sends users who must change their password to the login page password step', async () => {
    fakeBackend(() => ({ data: makeMe({ must_change_password: true, permissions: ['org.staff.view'] }) }))
    setActivePinia(createPinia())
    const r = router()
    await r.push('/org/staff')
    expect(r.currentRoute.value.path).toBe('/login')
    expect(r.currentRoute.value.query.step).toBe('password')
  })

  it('has a page for every menu path of the server catalogue', () => {
    const paths = pages.map((p) => p.path)
    for (const path of [
      '/org/communities', '/org/institutions', '/org/departments', '/org/staff', '/org/posts', '/org/titles', '/org/beds',
      '/org/equipment', '/org/teams', '/system/users', '/system/roles', '/system/online', '/audit/logs', '/audit/logins',
      '/registry/residents', '/codes/dictionaries', '/codes/entries', '/codes/parameters', '/codes/parameter-values',
      '/codes/data-elements',
    ]) {
      expect(paths).toContain(path)
    }
  })
})
