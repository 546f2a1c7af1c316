import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import SideMenu from '@/layouts/SideMenu.vue'
import HomeView from '@/views/home/HomeView.vue'
import { buildMenu, findTrail } from '@/layouts/menu'
import { useAuthStore } from '@/stores/auth'
import { fakeBackend, flush, globals, makeMe, testRouter } from './helpers'

const menus = [
  {
    code: 'org',
    name: '组织机构',
    children: [
      { code: 'org.institution', name: '成员机构', path: '/org/institutions' },
      { code: 'org.department', name: '科室', path: '/org/departments' },
    ],
  },
  { code: 'audit', name: '安全审计', children: [{ code: 'audit.log', name: '审计日志', path: '/audit/logs' }] },
  { code: 'empty', name: '没有页面的分组', children: [{ code: 'empty.x', name: '无路径' }] },
]

describe('menu from /auth/me', () => {
  it('groups pages with a path and drops empty groups', () => {
    const groups = buildMenu(menus)
    expect(groups.map((g) => g.name)).toEqual(['组织机构', '安全审计'])
    expect(groups[0].items).toEqual([
      { code: 'org.institution', name: '成员机构', path: '/org/institutions' },
      { code: 'org.department', name: '科室', path: '/org/departments' },
    ])
    expect(findTrail(menus, '/org/departments')).toEqual(['组织机构', '科室'])
    expect(findTrail(menus, '/nowhere')).toEqual([])
  })

  it('leaves out pages the console does not have yet', () => {
    const groups = buildMenu(menus, (path) => path !== '/org/departments')
    expect(groups[0].items.map((i) => i.path)).toEqual(['/org/institutions'])
  })

  it('renders the side menu from the menus answered by GET /auth/me', async () => {
    const calls = fakeBackend((config) =>
      config.url === '/auth/me' ? { data: makeMe({ menus, permissions: ['org.institution.view'] }) } : { status: 404, data: {} },
    )
    const pinia = createPinia()
    setActivePinia(pinia)
    await useAuthStore().fetchMe()
    expect(calls.map((c) => c.url)).toEqual(['/auth/me'])

    const router = testRouter()
    await router.push('/org/departments')
    const wrapper = mount(SideMenu, { props: { collapsed: false }, global: globals(pinia, router), attachTo: document.body })
    await flush()
    expect(wrapper.findAll('[data-menu-group]').map((g) => g.attributes('data-menu-group'))).toEqual(['org', 'audit'])
    const items = wrapper.findAll('[data-menu-code]')
    expect(items.map((i) => i.text())).toEqual(['成员机构', '科室', '审计日志'])
    expect(wrapper.text()).toContain('组织机构')
    expect(wrapper.text()).toContain('安全审计')
    expect(wrapper.text()).not.toContain('没有页面的分组')
    expect(wrapper.find('[data-menu-code="org.department"]').classes()).toContain('is-active')
  })

  it('shows quick links to the same menus on the home page', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().setUser(makeMe({ menus }))
    const router = testRouter()
    const wrapper = mount(HomeView, { global: globals(pinia, router) })
    await flush()
    expect(wrapper.text()).toContain('张三')
    expect(wrapper.text()).toContain('县人民医院')
    expect(wrapper.text()).toContain('系统管理员')
    expect(wrapper.findAll('[data-quick-link]').map((a) => a.attributes('href'))).toEqual(['/org/institutions', '/org/departments', '/audit/logs'])
  })

  it('treats a 401 from /auth/me as not logged in', async () => {
    fakeBackend(() => ({ status: 401, data: { code: 'NOT_AUTHENTICATED', message: '请先登录。', fields: {} } }))
    setActivePinia(createPinia())
    const auth = useAuthStore()
    expect(await auth.fetchMe()).toBeNull()
    expect(auth.loaded).toBe(true)
    expect(auth.menus).toEqual([])
  })
})
