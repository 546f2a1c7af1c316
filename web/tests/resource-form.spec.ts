import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { ApiError } from '@/api/http'
import ResourceForm from '@/components/ResourceForm.vue'
import type { FormField } from '@/components/schema'
import { fakeBackend, flush, globals, page, withUser } from './helpers'

const fields: FormField[] = [
  { prop: 'code', label: '机构编码', required: true },
  { prop: 'name', label: '机构名称', required: true },
  { prop: 'type', label: '机构类别', type: 'select', options: [{ value: 'village_clinic', label: '村卫生室' }] },
  { prop: 'community', label: '所属医共体', type: 'remote', remote: '/org/communities', labelProp: 'community_name' },
  { prop: 'is_active', label: '启用', type: 'switch', default: true },
  { prop: 'id_number', label: '身份证号', sensitive: true },
]

function errorTexts(): string[] {
  return [...document.querySelectorAll('.el-form-item__error')].map((el) => el.textContent?.trim() ?? '')
}

function fieldError(prop: string): string {
  return document.querySelector(`.field-${prop} .el-form-item__error`)?.textContent?.trim() ?? ''
}

async function clickSave(): Promise<void> {
  const save = [...document.querySelectorAll('.el-dialog__footer button')].find((b) => b.textContent?.includes('保存')) as HTMLElement
  save.click()
  await flush()
  // Element Plus shows form-item errors after a short debounce.
  await new Promise((resolve) => setTimeout(resolve, 200))
}

describe('ResourceForm', () => {
  it('shows server field errors on their fields and other errors above the form', async () => {
    fakeBackend(() => ({ data: page([{ id: 3, code: 'C1', name: '某县医共体' }]) }))
    const pinia = withUser([])
    const submit = vi.fn().mockRejectedValue(
      new ApiError(400, {
        code: 'VALIDATION_ERROR',
        message: '提交的数据有误。',
        fields: { code: ['该编码已存在。'], name: ['名称过长。', '含非法字符。'], non_field_errors: ['上级机构不能是本机构。'] },
      }),
    )
    mount(ResourceForm, { props: { visible: true, fields, submit, title: '新增成员机构' }, global: globals(pinia), attachTo: document.body })
    await flush()
    const form = document.querySelector('.el-dialog') as HTMLElement
    const inputs = form.querySelectorAll<HTMLInputElement>('input.el-input__inner')
    inputs[0].value = 'H001'
    inputs[0].dispatchEvent(new Event('input'))
    inputs[1].value = '县人民医院'
    inputs[1].dispatchEvent(new Event('input'))
    await flush()
    await clickSave()

    expect(submit).toHaveBeenCalledTimes(1)
    expect(submit.mock.calls[0][0]).toMatchObject({ code: 'H001', name: '县人民医院', is_active: true, community: null, type: '' })
    expect(fieldError('code')).toBe('该编码已存在。')
    expect(fieldError('name')).toBe('名称过长。；含非法字符。')
    expect(document.querySelector('.form-error')?.textContent).toContain('上级机构不能是本机构。')
  })

  it('validates required fields on the client before sending', async () => {
    fakeBackend(() => ({ data: page([]) }))
    const pinia = withUser([])
    const submit = vi.fn()
    mount(ResourceForm, { props: { visible: true, fields, submit }, global: globals(pinia), attachTo: document.body })
    await flush()
    await clickSave()
    expect(submit).not.toHaveBeenCalled()
    expect(errorTexts()).toEqual(expect.arrayContaining(['请填写机构编码', '请填写机构名称']))
  })

  it('sends only changed fields when editing, and never the masked value back', async () => {
    fakeBackend(() => ({ data: page([]) }))
    const pinia = withUser([])
    const submit = vi.fn().mockResolvedValue({})
    const record = { id: 7, code: 'H001', name: '县医院', type: 'village_clinic', community: 3, community_name: '某县医共体', is_active: true, id_number: '320102********0016' }
    const wrapper = mount(ResourceForm, {
      props: { visible: true, fields, submit, mode: 'edit', record },
      global: globals(pinia),
      attachTo: document.body,
    })
    await flush()
    const vm = wrapper.vm as unknown as { model: Record<string, unknown> }
    expect(vm.model.id_number).toBe('')
    // the current relation is labelled from `community_name` even before the options load
    expect(document.body.textContent).toContain('某县医共体')
    vm.model.name = '县人民医院'
    await flush()
    await clickSave()
    expect(submit).toHaveBeenCalledWith({ name: '县人民医院' }, 'edit')
    expect(wrapper.emitted('saved')).toHaveLength(1)
  })
})
