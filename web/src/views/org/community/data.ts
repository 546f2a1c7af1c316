import type { ResourceSchema } from '@/components/schema'
import { ACTIVE_OPTIONS } from '@/components/schema'
import { CREATED_AT, UPDATED_AT, activeColumn } from '../../choices'

export const schema: ResourceSchema = {
  title: '医共体',
  api: '/org/communities',
  perm: 'org.community',
  keyword: '编码或名称',
  search: [
    { prop: 'division_code', label: '行政区划' },
    { prop: 'is_active', label: '状态', type: 'select', options: ACTIVE_OPTIONS },
  ],
  columns: [
    { prop: 'code', label: '医共体编码', width: 140, sortable: true },
    { prop: 'name', label: '医共体名称', minWidth: 200, sortable: true },
    { prop: 'division_code', label: '行政区划代码', width: 140 },
    { prop: 'institution_count', label: '成员机构数', width: 110, align: 'right' },
    { prop: 'description', label: '简介', minWidth: 200 },
    activeColumn(),
    CREATED_AT,
    UPDATED_AT,
  ],
  form: [
    { prop: 'code', label: '医共体编码', required: true, maxlength: 32 },
    { prop: 'name', label: '医共体名称', required: true, maxlength: 100 },
    { prop: 'division_code', label: '行政区划代码', required: true, maxlength: 6, validate: (v) => (/^[1-8]\d{5}$/.test(String(v)) ? '' : '行政区划代码应为 6 位数字（GB/T 2260）'), help: 'GB/T 2260 县级行政区划代码，如 320281' },
    { prop: 'is_active', label: '启用', type: 'switch', default: true },
    { prop: 'description', label: '简介', type: 'textarea' },
  ],
}
