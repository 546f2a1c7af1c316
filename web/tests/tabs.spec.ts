import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import PageTabs from '@/layouts/PageTabs.vue'
import { cacheName, MAX_TABS, useTabsStore } from '@/stores/tabs'
import { flush, globals, testRouter } from './helpers'

describe('page tabs store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('starts with the workbench, which cannot be closed', () => {
    const tabs = useTabsStore()
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/'])
    expect(tabs.close('/')).toBeNull()
    expect(tabs.tabs).toHaveLength(1)
  })

  it('opens each page once and keeps its latest query', () => {
    const tabs = useTabsStore()
    tabs.open({ path: '/org/beds', fullPath: '/org/beds', title: '床位' })
    tabs.open({ path: '/org/staff', title: '医护人员' })
    tabs.open({ path: '/org/beds', fullPath: '/org/beds?status=free', title: '床位' })
    expect(tabs.tabs.map((t) => [t.path, t.fullPath])).toEqual([
      ['/', '/'],
      ['/org/beds', '/org/beds?status=free'],
      ['/org/staff', '/org/staff'],
    ])
    expect(tabs.active).toBe('/org/beds')
    expect(tabs.cachedNames).toEqual([cacheName('/'), cacheName('/org/beds'), cacheName('/org/staff')])
  })

  it('closing the active tab goes to its right neighbour, else the left one', () => {
    const tabs = useTabsStore()
    for (const path of ['/a', '/b', '/c']) tabs.open({ path, title: path })
    tabs.open({ path: '/b', title: '/b' })
    expect(tabs.close('/b')).toBe('/c')
    expect(tabs.active).toBe('/c')
    expect(tabs.close('/c')).toBe('/a')
    expect(tabs.close('/x')).toBeNull()
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/', '/a'])
  })

  it('closing another tab does not navigate', () => {
    const tabs = useTabsStore()
    tabs.open({ path: '/a', title: 'a' })
    tabs.open({ path: '/b', title: 'b' })
    expect(tabs.close('/a')).toBeNull()
    expect(tabs.active).toBe('/b')
  })

  it('close others keeps the workbench and the page; close all keeps the workbench', () => {
    const tabs = useTabsStore()
    for (const path of ['/a', '/b', '/c']) tabs.open({ path, title: path })
    tabs.closeOthers('/b')
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/', '/b'])
    expect(tabs.closeAll()).toBe('/')
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/'])
    expect(tabs.active).toBe('/')
  })

  it('drops the oldest closable tab beyond the limit, never the active one', () => {
    const tabs = useTabsStore()
    for (let i = 1; i <= MAX_TABS + 2; i++) tabs.open({ path: `/p${i}`, title: `p${i}` })
    expect(tabs.tabs).toHaveLength(MAX_TABS)
    expect(tabs.tabs[0].path).toBe('/')
    expect(tabs.tabs[1].path).toBe('/p4')
    expect(tabs.active).toBe(`/p${MAX_TABS + 2}`)
  })

  it('refresh re-keys only the refreshed page', async () => {
    const tabs = useTabsStore()
    tabs.open({ path: '/a', title: 'a' })
    tabs.open({ path: '/b', title: 'b' })
    await tabs.refresh('/b', () => Promise.resolve())
    expect(tabs.pageKey('/b')).toBe('/b#1')
    expect(tabs.pageKey('/a')).toBe('/a#0')
    expect(tabs.cachedNames).toContain(cacheName('/b'))
  })

  it('another user signing in on the same page starts with the workbench only', () => {
    const tabs = useTabsStore()
    tabs.claim(1)
    tabs.open({ path: '/a', title: 'a' })
    tabs.claim(1)
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/', '/a'])
    tabs.claim(2)
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/'])
    expect(tabs.owner).toBe(2)
  })

  it('reset forgets the pages of the previous user', () => {
    const tabs = useTabsStore()
    tabs.open({ path: '/a', title: 'a' })
    tabs.reset()
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/'])
    expect(tabs.active).toBe('/')
  })
})

describe('PageTabs', () => {
  it('shows the tabs, switches on click and closes the active one to its neighbour', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = testRouter()
    await router.push('/org/staff')
    const tabs = useTabsStore()
    tabs.open({ path: '/org/beds', title: '床位' })
    tabs.open({ path: '/org/staff', title: '医护人员' })
    const wrapper = mount(PageTabs, { global: globals(pinia, router) })
    await flush()
    expect(wrapper.findAll('[data-tab]').map((t) => t.text())).toEqual(['工作台', '床位', '医护人员'])
    expect(wrapper.find('[data-tab="/org/staff"]').classes()).toContain('active')
    expect(wrapper.find('[data-tab="/"] .tab-close').exists()).toBe(false)

    await wrapper.find('[data-tab="/org/beds"]').trigger('click')
    await flush()
    expect(router.currentRoute.value.path).toBe('/org/beds')

    tabs.open({ path: '/org/beds', title: '床位' })
    await wrapper.find('[data-tab="/org/beds"] .tab-close').trigger('click')
    await flush()
    expect(tabs.tabs.map((t) => t.path)).toEqual(['/', '/org/staff'])
    expect(router.currentRoute.value.path).toBe('/org/staff')
  })
})
