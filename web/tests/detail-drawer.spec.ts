import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import DetailDrawer from '@/components/DetailDrawer.vue'
import type { Column } from '@/components/schema'
import { flush, globals, withUser } from './helpers'

const COLUMNS: Column[] = [
  { prop: 'name', label: '名称' },
  { prop: 'enabled', label: '启用', type: 'bool' },
  { prop: 'scopes', label: '授权范围', type: 'list' },
  { prop: 'code', label: '编码', formatter: (row) => `#${row.code}` },
  { prop: 'internal', label: '仅表格', tableOnly: true },
]

describe('DetailDrawer', () => {
  it('shows every detail column of the row with the table formatting, and extra content', async () => {
    mount(DetailDrawer, {
      props: { title: '客户端详情', row: { id: 1, name: '县医院 HIS', enabled: true, scopes: ['org.read', 'fhir.read'], code: 'his', internal: 'x' }, columns: COLUMNS, visible: true },
      slots: { default: '<p class="extra">流转记录</p>' },
      global: globals(withUser([])),
      attachTo: document.body,
    })
    await flush()
    const drawer = document.querySelector('.detail-drawer')!
    const labels = [...drawer.querySelectorAll('.el-descriptions__label')].map((e) => e.textContent?.trim())
    expect(labels).toEqual(['名称', '启用', '授权范围', '编码'])
    const values = [...drawer.querySelectorAll('.el-descriptions__content')].map((e) => e.textContent?.trim())
    expect(values[0]).toBe('县医院 HIS')
    expect(values[1]).toBe('是')
    expect(values[2]).toContain('org.read')
    expect(values[3]).toBe('#his')
    expect(drawer.querySelector('.extra')?.textContent).toBe('流转记录')
  })
})
