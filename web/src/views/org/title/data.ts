import type { ResourceSchema } from '@/components/schema'
import { TITLE_CATEGORIES, TITLE_LEVELS } from '../../choices'

export const schema: ResourceSchema = {
  title: '职称',
  api: '/org/titles',
  perm: 'org.title',
  ordering: 'sort',
  search: [
    { prop: 'category', label: '系列', type: 'select', options: TITLE_CATEGORIES },
    { prop: 'level', label: '级别', type: 'select', options: TITLE_LEVELS },
  ],
  columns: [
    { prop: 'code', label: '职称编码', width: 140, sortable: true },
    { prop: 'name', label: '职称名称', minWidth: 180 },
    { prop: 'category_display', label: '系列', width: 120 },
    { prop: 'level_display', label: '级别', width: 140 },
    { prop: 'sort', label: '排序', width: 90, sortable: true },
  ],
  form: [
    { prop: 'code', label: '职称编码', required: true, maxlength: 32 },
    { prop: 'name', label: '职称名称', required: true, maxlength: 50 },
    { prop: 'category', label: '系列', type: 'select', options: TITLE_CATEGORIES, required: true },
    { prop: 'level', label: '级别', type: 'select', options: TITLE_LEVELS, required: true },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
  ],
}
