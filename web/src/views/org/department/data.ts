import type { ResourceSchema } from '@/components/schema'
import { ACTIVE_OPTIONS } from '@/components/schema'
import { CREATED_AT, DEPARTMENT_KINDS, UPDATED_AT, activeColumn } from '../../choices'

export const schema: ResourceSchema = {
  title: '科室',
  api: '/org/departments',
  perm: 'org.department',
  ordering: 'sort',
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'kind', label: '科室类别', type: 'select', options: DEPARTMENT_KINDS },
    { prop: 'is_active', label: '状态', type: 'select', options: ACTIVE_OPTIONS },
  ],
  columns: [
    { prop: 'code', label: '科室编码', width: 120, sortable: true },
    { prop: 'name', label: '科室名称', minWidth: 160, sortable: true },
    { prop: 'kind_display', label: '科室类别', width: 110 },
    { prop: 'institution_name', label: '所属机构', minWidth: 180 },
    { prop: 'parent_name', label: '上级科室', width: 140 },
    { prop: 'standard_code', label: '诊疗科目代码', width: 130 },
    { prop: 'phone', label: '科室电话', width: 130 },
    { prop: 'location', label: '位置', width: 140, detailOnly: true },
    { prop: 'sort', label: '排序', width: 80, sortable: true },
    activeColumn(),
    CREATED_AT,
    UPDATED_AT,
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    {
      prop: 'parent',
      label: '上级科室',
      type: 'remote',
      remote: '/org/departments',
      labelProp: 'parent_name',
      remoteParams: (m) => ({ institution: m.institution }),
    },
    { prop: 'code', label: '科室编码', required: true, maxlength: 32 },
    { prop: 'name', label: '科室名称', required: true, maxlength: 100 },
    { prop: 'kind', label: '科室类别', type: 'select', options: DEPARTMENT_KINDS, required: true, default: 'clinical' },
    { prop: 'standard_code', label: '诊疗科目代码', maxlength: 10, help: '《医疗机构诊疗科目名录》代码' },
    { prop: 'phone', label: '科室电话', maxlength: 20 },
    { prop: 'location', label: '位置', maxlength: 100 },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
    { prop: 'is_active', label: '启用', type: 'switch', default: true },
  ],
}
