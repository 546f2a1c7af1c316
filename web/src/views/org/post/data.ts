import type { ResourceSchema } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '岗位',
  api: '/org/posts',
  perm: 'org.post',
  ordering: 'sort',
  search: [{ prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' }],
  columns: [
    { prop: 'code', label: '岗位编码', width: 140, sortable: true },
    { prop: 'name', label: '岗位名称', minWidth: 160 },
    { prop: 'institution', label: '适用范围', width: 120, formatter: (row) => (row.institution ? '本机构专用' : '全平台通用') },
    { prop: 'description', label: '说明', minWidth: 240 },
    { prop: 'sort', label: '排序', width: 90, sortable: true },
  ],
  form: [
    { prop: 'code', label: '岗位编码', required: true, maxlength: 32 },
    { prop: 'name', label: '岗位名称', required: true, maxlength: 50 },
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', help: '为空表示全平台通用岗位' },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
    { prop: 'description', label: '说明', type: 'textarea', maxlength: 200 },
  ],
}
