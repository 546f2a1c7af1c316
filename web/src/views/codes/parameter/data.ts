import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'
import { CREATED_AT, UPDATED_AT, VALUE_TYPES } from '../../choices'

const lines = (value: unknown): string => (Array.isArray(value) ? value.map(String).join('\n') : String(value ?? ''))
const toList = (value: unknown): string[] =>
  String(value ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)

export const schema: ResourceSchema = {
  title: '参数',
  api: '/codes/parameters',
  perm: 'codes.parameter',
  keyword: '参数编码或名称',
  ordering: 'group',
  search: [
    { prop: 'group', label: '参数分组' },
    { prop: 'value_type', label: '参数类型', type: 'select', options: VALUE_TYPES },
    { prop: 'allow_institution_override', label: '机构可覆盖', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'code', label: '参数编码', minWidth: 200, sortable: true },
    { prop: 'name', label: '参数名称', minWidth: 160, sortable: true },
    { prop: 'group', label: '分组', width: 100, sortable: true },
    { prop: 'value_type_display', label: '参数类型', width: 90 },
    { prop: 'default_value', label: '默认值', minWidth: 110 },
    { prop: 'value_source_type', label: '取值来源', width: 100 },
    { prop: 'allow_institution_override', label: '机构可覆盖', type: 'bool', width: 100 },
    { prop: 'min_value', label: '最小值', detailOnly: true },
    { prop: 'max_value', label: '最大值', detailOnly: true },
    { prop: 'max_length', label: '最大长度', detailOnly: true },
    { prop: 'regex', label: '正则表达式', detailOnly: true },
    { prop: 'choices', label: '可选项', type: 'list', detailOnly: true },
    { prop: 'choice_dictionary_name', label: '选项来源字典', detailOnly: true },
    { prop: 'description', label: '功能描述', detailOnly: true },
    { prop: 'sort', label: '排序', detailOnly: true },
    { prop: 'source', label: '来源', detailOnly: true },
    CREATED_AT,
    UPDATED_AT,
  ],
  form: [
    { prop: 'code', label: '参数编码', required: true, maxlength: 100, readonlyOnEdit: true, help: '小写字母、数字和下划线，用点分段，如 security.lockout_failures' },
    { prop: 'name', label: '参数名称', required: true, maxlength: 100 },
    { prop: 'group', label: '参数分组', maxlength: 50 },
    { prop: 'value_type', label: '参数类型', type: 'select', options: VALUE_TYPES, required: true, default: 'string' },
    { prop: 'default_value', label: '默认值', wide: true },
    { prop: 'min_value', label: '最小值', type: 'number', hidden: (m) => !['int', 'decimal'].includes(String(m.value_type)) },
    { prop: 'max_value', label: '最大值', type: 'number', hidden: (m) => !['int', 'decimal'].includes(String(m.value_type)) },
    { prop: 'max_length', label: '最大长度', type: 'number', min: 1, hidden: (m) => m.value_type !== 'string' },
    { prop: 'regex', label: '正则表达式', maxlength: 200, hidden: (m) => m.value_type !== 'string' },
    {
      prop: 'choices',
      label: '可选项',
      type: 'textarea',
      help: '每行一个可选值',
      hidden: (m) => m.value_type !== 'choice',
      toForm: lines,
      fromForm: toList,
    },
    {
      prop: 'choice_dictionary',
      label: '选项来源字典',
      type: 'remote',
      remote: '/codes/dictionaries',
      labelProp: 'choice_dictionary_name',
      hidden: (m) => m.value_type !== 'choice',
      help: '设置后参数可取该字典中启用的字典项编码',
    },
    { prop: 'allow_institution_override', label: '允许机构覆盖', type: 'switch', default: false },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
    { prop: 'description', label: '功能描述', type: 'textarea' },
    { prop: 'source', label: '来源', wide: true, maxlength: 500 },
  ],
}
