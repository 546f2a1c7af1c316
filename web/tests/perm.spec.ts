import { describe, expect, it } from 'vitest'
import { defineComponent, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { useAuthStore } from '@/stores/auth'
import { globals, withUser } from './helpers'

const Buttons = defineComponent({
  template: `
    <div>
      <button class="add" v-perm="'org.institution.add'">新增</button>
      <button class="any" v-perm="['org.institution.change', 'org.institution.delete']">编辑或删除</button>
      <button class="always">刷新</button>
    </div>`,
})

describe('v-perm', () => {
  it('hides a button when the user lacks the code', () => {
    const pinia = withUser(['org.institution.view'])
    const wrapper = mount(Buttons, { global: globals(pinia), attachTo: document.body })
    expect(wrapper.find('button.add').isVisible()).toBe(false)
    expect((wrapper.find('button.add').element as HTMLElement).style.display).toBe('none')
    expect(wrapper.find('button.any').isVisible()).toBe(false)
    expect(wrapper.find('button.always').isVisible()).toBe(true)
  })

  it('shows the button when the user holds the code (or any of a list)', () => {
    const pinia = withUser(['org.institution.add', 'org.institution.delete'])
    const wrapper = mount(Buttons, { global: globals(pinia), attachTo: document.body })
    expect(wrapper.find('button.add').isVisible()).toBe(true)
    expect(wrapper.find('button.any').isVisible()).toBe(true)
  })

  it('follows permission changes on re-render', async () => {
    const pinia = withUser([])
    const Reactive = defineComponent({
      setup: () => ({ auth: useAuthStore() }),
      template: `<div><span>{{ auth.permissions.size }}</span><button class="add" v-perm="'org.institution.add'">新增</button></div>`,
    })
    const wrapper = mount(Reactive, { global: globals(pinia), attachTo: document.body })
    expect(wrapper.find('button.add').isVisible()).toBe(false)
    useAuthStore().user!.permissions = ['org.institution.add']
    await nextTick()
    expect(wrapper.find('button.add').isVisible()).toBe(true)
  })
})
