import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ResourcePage from '@/components/ResourcePage.vue'
import type { ResourceSchema } from '@/components/schema'
import { schema as institutionSchema } from '@/views/org/institution/data'
import { fakeBackend, flush, globals, page, withUser } from './helpers'

const schema: ResourceSchema = {
  title: '成员机构',
  api: '/org/institutions',
  perm: 'org.institution',
  ordering: 'sort',
  search: [{ prop: 'type', label: '机构类别', type: 'select', options: [{ value: 'village_clinic', label: '村卫生室' }] }],
  columns: [
    { prop: 'code', label: '机构编码', sortable: true },
    { prop: 'name', label: '机构名称', sortable: true },
    { prop: 'type_display', label: '机构类别', sortable: 'type' },
    { prop: 'is_active', label: '状态', type: 'bool', tags: { true: { label: '启用' }, false: { label: '停用' } } },
  ],
  form: [{ prop: 'name', label: '机构名称', required: true }],
}

const rows = [
  { id: 1, code: 'H001', name: '县人民医院', type_display: '牵头医院', is_active: true },
  { id: 2, code: 'T001', name: '城关镇卫生院', type_display: '乡镇卫生院', is_active: false },
]

describe('ResourcePage', () => {
  let calls: ReturnType<typeof fakeBackend>

  beforeEach(() => {
    calls = fakeBackend(() => ({ data: page(rows, 42) }))
  })

  it('renders the columns of the schema and the rows', async () => {
    const pinia = withUser(['org.institution.view'])
    const wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    const headers = wrapper.findAll('.resource-table th').map((th) => th.text())
    expect(headers).toEqual(expect.arrayContaining(['序号', '机构编码', '机构名称', '机构类别', '状态']))
    const text = wrapper.find('.resource-table').text()
    expect(text).toContain('县人民医院')
    expect(text).toContain('城关镇卫生院')
    expect(text).toContain('启用')
    expect(text).toContain('停用')
    expect(wrapper.text()).toContain('共 42 条')
  })

  it('requests the list URL with page, page_size and ordering', async () => {
    const pinia = withUser(['org.institution.view'])
    mount(ResourcePage, { props: { schema }, global: globals(pinia) })
    await flush()
    expect(calls).toHaveLength(1)
    expect(calls[0].url).toBe('/org/institutions')
    expect(calls[0].baseURL).toBe('/api/v1')
    expect(calls[0].method).toBe('get')
    expect(calls[0].params).toEqual({ page: 1, page_size: 20, ordering: 'sort' })
  })

  it('sends the keyword and filters when searching, back on page 1', async () => {
    const pinia = withUser(['org.institution.view'])
    const wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    const vm = wrapper.vm as unknown as { query: Record<string, unknown>; page: number; search: () => void }
    vm.page = 3
    await wrapper.find('.search-bar input').setValue('卫生院')
    vm.query.type = 'village_clinic'
    await wrapper.find('.search-bar form, form.search-bar').trigger('submit')
    await flush()
    const last = calls[calls.length - 1]
    expect(last.params).toEqual({ page: 1, page_size: 20, search: '卫生院', type: 'village_clinic', ordering: 'sort' })
  })

  it('orders by the declared ordering key when a column is sorted', async () => {
    const pinia = withUser(['org.institution.view'])
    const wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    const header = wrapper.findAll('.resource-table th').find((th) => th.text().includes('机构类别'))!
    await header.find('.caret-wrapper .descending').trigger('click')
    await flush()
    expect(calls[calls.length - 1].params).toMatchObject({ ordering: '-type', page: 1 })
  })

  it('shows toolbar and row buttons only for held permissions', async () => {
    let pinia = withUser(['org.institution.view'])
    let wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    expect(wrapper.find('.btn-create').exists()).toBe(false)
    expect(wrapper.find('.btn-export').exists()).toBe(false)
    expect(wrapper.find('.btn-import').exists()).toBe(false)
    expect(wrapper.find('.act-edit').exists()).toBe(false)
    expect(wrapper.find('.act-delete').exists()).toBe(false)
    wrapper.unmount()

    pinia = withUser(['org.institution.view', 'org.institution.add', 'org.institution.change', 'org.institution.delete', 'org.institution.export', 'org.institution.import'])
    wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    expect(wrapper.find('.btn-create').exists()).toBe(true)
    expect(wrapper.find('.btn-export').exists()).toBe(true)
    expect(wrapper.find('.btn-import').exists()).toBe(true)
    expect(wrapper.find('.btn-template').exists()).toBe(true)
    expect(wrapper.findAll('.act-edit').length).toBeGreaterThan(0)
    expect(wrapper.findAll('.act-delete').length).toBeGreaterThan(0)
  })

  it('exports the current filters as xlsx and saves the server file name', async () => {
    const downloads: string[] = []
    const origCreate = URL.createObjectURL
    URL.createObjectURL = () => 'blob:x'
    URL.revokeObjectURL = () => undefined
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download)
    }
    calls = fakeBackend((config) =>
      config.params?.format === 'xlsx'
        ? { data: new Blob(['x']), headers: { 'content-disposition': "attachment; filename*=UTF-8''%E6%88%90%E5%91%98%E6%9C%BA%E6%9E%84.xlsx" } }
        : { data: page(rows) },
    )
    const pinia = withUser(['org.institution.view', 'org.institution.export'])
    const wrapper = mount(ResourcePage, { props: { schema }, global: globals(pinia), attachTo: document.body })
    await flush()
    await wrapper.find('.btn-export').trigger('click')
    await flush()
    await flush()
    const exportCall = calls.find((c) => c.params?.format === 'xlsx')!
    expect(exportCall.url).toBe('/org/institutions')
    expect(exportCall.params).toEqual({ ordering: 'sort', format: 'xlsx' })
    expect(exportCall.responseType).toBe('blob')
    expect(downloads).toEqual(['成员机构.xlsx'])
    URL.createObjectURL = origCreate
  })

  it('works with a declared page schema (成员机构)', async () => {
    const pinia = withUser(['org.institution.view'])
    const wrapper = mount(ResourcePage, { props: { schema: institutionSchema }, global: globals(pinia), attachTo: document.body })
    await flush()
    const list = calls.find((c) => c.url === '/org/institutions')!
    expect(list.params).toEqual({ page: 1, page_size: 20, ordering: 'sort' })
    // the 医共体 filter picker loads its options with ?brief=1
    const picker = calls.find((c) => c.url === '/org/communities')!
    expect(picker.params).toMatchObject({ brief: 1, page_size: 100 })
    const headers = wrapper.findAll('.resource-table th').map((th) => th.text())
    expect(headers).toEqual(expect.arrayContaining(['机构编码', '机构名称', '机构类别', '所属医共体']))
    expect(headers).not.toContain('统一社会信用代码') // detail-only column
  })
})
