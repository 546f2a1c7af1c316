import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import PermissionTree from '@/views/system/role/PermissionTree.vue'
import { fakeBackend, flush, globals, withUser } from './helpers'

const tree = [
  {
    code: 'org',
    name: '组织机构',
    children: [
      { code: 'org.bed', name: '床位', path: '/org/beds', children: [{ code: 'org.bed.view', name: '查看' }, { code: 'org.bed.add', name: '新增' }] },
      { code: 'org.post', name: '岗位', path: '/org/posts', children: [{ code: 'org.post.view', name: '查看' }] },
    ],
  },
]

describe('role permission tree', () => {
  it('loads GET /accounts/permission-tree, checks the role codes and emits actions plus their menus', async () => {
    const calls = fakeBackend(() => ({ data: tree }))
    const pinia = withUser(['accounts.role.change'])
    const wrapper = mount(PermissionTree, {
      props: { modelValue: ['org.bed', 'org.bed.view'] },
      global: globals(pinia),
      attachTo: document.body,
    })
    await flush()
    await flush()
    expect(calls[0].url).toBe('/accounts/permission-tree')
    expect(wrapper.text()).toContain('已选 1 项操作')

    const bed = wrapper.findAll('.el-tree-node__content').find((n) => n.text().includes('床位'))!
    await bed.trigger('click') // expand the menu node
    await flush()
    const addNode = wrapper.findAll('.el-tree-node').find((n) => n.find('.el-tree-node__label').text() === '新增')!
    await addNode.find('.el-checkbox__input').trigger('click')
    await flush()
    const emitted = wrapper.emitted('update:modelValue')!
    expect(emitted[emitted.length - 1][0]).toEqual(['org.bed', 'org.bed.add', 'org.bed.view'])

    await wrapper.findAll('button').find((b) => b.text() === '清空')!.trigger('click')
    const last = wrapper.emitted('update:modelValue')!
    expect(last[last.length - 1][0]).toEqual([])
  })
})
