import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'
import { CREATED_AT, DICTIONARY_TYPES, HANDLING_TYPES, UPDATED_AT } from '../../choices'

export const schema: ResourceSchema = {
  title: '字典',
  api: '/codes/dictionaries',
  perm: 'codes.dictionary',
  keyword: '字典编码、名称或来源',
  deleteHint: '字典及其字典项将移入回收站，可在回收站还原。',
  search: [
    { prop: 'type', label: '字典类型', type: 'select', options: DICTIONARY_TYPES },
    { prop: 'handling_type', label: '处理类型', type: 'select', options: HANDLING_TYPES },
    { prop: 'is_public', label: '公开', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'code', label: '字典编码', width: 160, sortable: true },
    { prop: 'name', label: '字典名称', minWidth: 160, sortable: true },
    { prop: 'type_display', label: '字典类型', width: 100 },
    { prop: 'version', label: '版本', width: 90 },
    { prop: 'tree_level', label: '层级', width: 70, align: 'right' },
    { prop: 'entry_count', label: '字典项数', width: 90, align: 'right' },
    { prop: 'handling_type_display', label: '处理类型', width: 100 },
    { prop: 'is_public', label: '公开', type: 'bool', width: 70 },
    { prop: 'institution_name', label: '所属机构', width: 150, formatter: (row) => String(row.institution_name || '全平台通用') },
    { prop: 'handling_description', label: '处理描述', detailOnly: true },
    { prop: 'description', label: '字典描述', detailOnly: true },
    { prop: 'source', label: '来源', detailOnly: true },
    { prop: 'sort', label: '排序', detailOnly: true },
    CREATED_AT,
    UPDATED_AT,
  ],
  form: [
    { prop: 'code', label: '字典编码', required: true, maxlength: 50, help: '字母、数字、下划线、点和短横线，如 GB_T_2261_1' },
    { prop: 'name', label: '字典名称', required: true, maxlength: 100 },
    { prop: 'type', label: '字典类型', type: 'select', options: DICTIONARY_TYPES, required: true, default: 'business' },
    { prop: 'version', label: '字典版本', maxlength: 30 },
    { prop: 'tree_level', label: '字典层级', type: 'number', min: 1, max: 9, default: 1, help: '字典项树的最大深度，1 表示不分级' },
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', help: '为空表示全平台通用字典' },
    { prop: 'handling_type', label: '处理类型', type: 'select', options: HANDLING_TYPES, required: true, default: 'local' },
    { prop: 'is_public', label: '字典公开', type: 'switch', default: true, help: '公开的字典可通过接口提供给外部系统' },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
    { prop: 'handling_description', label: '处理描述', wide: true, maxlength: 200 },
    { prop: 'source', label: '来源', wide: true, maxlength: 500, placeholder: '所依据的标准及证据等级，如 GB/T 2261.1-2003 [C]' },
    { prop: 'description', label: '字典描述', type: 'textarea' },
  ],
}

/** 回收站: deleted dictionaries, restore or purge. */
export const recycleSchema: ResourceSchema = {
  title: '已删除字典',
  api: '/codes/dictionaries/recycle-bin',
  perm: 'codes.dictionary',
  // the bin is a plain list for whoever may restore or purge; the view code is not involved
  keyword: '字典编码或名称',
  actions: { view: false, create: false, edit: false, delete: false, export: false, import: false },
  columns: [
    { prop: 'code', label: '字典编码', width: 160 },
    { prop: 'name', label: '字典名称', minWidth: 160 },
    { prop: 'type_display', label: '字典类型', width: 100 },
    { prop: 'version', label: '版本', width: 90 },
    { prop: 'entry_count', label: '字典项数', width: 90, align: 'right' },
    { prop: 'institution_name', label: '所属机构', width: 150, formatter: (row) => String(row.institution_name || '全平台通用') },
    { prop: 'deleted_at', label: '删除时间', type: 'datetime', width: 170 },
    { prop: 'deleted_by_name', label: '删除人', width: 100 },
  ],
}
