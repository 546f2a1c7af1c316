import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import IdentitySwitch from '@/layouts/IdentitySwitch.vue'
import { useAuthStore } from '@/stores/auth'
import { fakeBackend, flush, globals, makeMe, withUser } from './helpers'

const identity = {
  institutions: [
    { id: 10, name: '县人民医院', home: true },
    { id: 11, name: '城关镇卫生院', home: false },
  ],
  roles: [
    { id: 1, code: 'doctor', name: '医生' },
    { id: 2, code: 'visiting', name: '多点执业' },
  ],
  current_institution: 10,
  current_role: null,
  switched: false,
}

describe('IdentitySwitch', () => {
  it('posts the chosen institution and role to /auth/switch and takes the new /auth/me', async () => {
    const switched = makeMe({ institution: { id: 11, name: '城关镇卫生院' }, identity: { ...identity, current_institution: 11, current_role: 2, switched: true } })
    const calls = fakeBackend(() => ({ data: switched }))
    const pinia = withUser([], { identity })
    const wrapper = mount(IdentitySwitch, { global: globals(pinia), attachTo: document.body })
    await flush()
    const vm = wrapper.vm as unknown as { $: { setupState: { institution: number | null; role: number | '' } } }
    expect(vm.$.setupState.institution).toBe(10)
    expect(vm.$.setupState.role).toBe('')
    vm.$.setupState.institution = 11
    vm.$.setupState.role = 2
    await wrapper.find('form').trigger('submit')
    await flush()
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('/auth/switch')
    expect(JSON.parse(calls[0].data as string)).toEqual({ institution: 11, role: 2 })
    expect(useAuthStore().user?.institution?.name).toBe('城关镇卫生院')
    expect(wrapper.emitted('done')).toHaveLength(1)
  })

  it('sends null for 全部角色', async () => {
    const calls = fakeBackend(() => ({ data: makeMe({ identity }) }))
    const wrapper = mount(IdentitySwitch, { global: globals(withUser([], { identity: { ...identity, current_role: 2, switched: true } })) })
    await flush()
    ;(wrapper.vm as unknown as { $: { setupState: { role: number | '' } } }).$.setupState.role = ''
    await wrapper.find('form').trigger('submit')
    await flush()
    expect(JSON.parse(calls[0].data as string)).toEqual({ institution: 10, role: null })
  })
})
