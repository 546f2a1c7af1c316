import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { ElMessage } from 'element-plus'
import RemoteSelect from '@/components/RemoteSelect.vue'
import { fakeBackend, flush, globals, page, withUser } from './helpers'

afterEach(() => vi.restoreAllMocks())

describe('RemoteSelect', () => {
  it('loads the picker items with ?brief=1', async () => {
    const calls = fakeBackend(() => ({ data: page([{ id: 3, code: 'doctor', name: '医生' }]) }))
    const wrapper = mount(RemoteSelect, { props: { modelValue: null, api: '/accounts/roles' }, global: globals(withUser([])) })
    await flush()
    expect(calls.map((c) => [c.url, c.params])).toEqual([['/accounts/roles', { page_size: 100, brief: 1 }]])
    expect(wrapper.findComponent({ name: 'ElSelect' }).props('noDataText')).toBe('无匹配数据')
  })

  it('does not pop an error when the user may not read the list (403): the dropdown says so', async () => {
    const toast = vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close: () => undefined }) as never)
    fakeBackend(() => ({ status: 403, data: { code: 'PERMISSION_DENIED', message: '没有执行该操作的权限。', fields: {} } }))
    const wrapper = mount(RemoteSelect, { props: { modelValue: null, api: '/accounts/roles' }, global: globals(withUser([])) })
    await flush()
    await flush()
    expect(toast).not.toHaveBeenCalled()
    expect(wrapper.findComponent({ name: 'ElSelect' }).props('noDataText')).toBe('无权查看此列表')
  })
})
