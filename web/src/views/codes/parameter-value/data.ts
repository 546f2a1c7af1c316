import type { FormField, ResourceSchema } from '@/components/schema'
import type { Row } from '@/api/types'
import { formatDateTime } from '@/utils/format'
import { CREATED_AT, UPDATED_AT } from '../../choices'

const STATUS_TAGS = {
  生效中: { label: '生效中', type: 'success' as const },
  未生效: { label: '未生效', type: 'warning' as const },
  已失效: { label: '已失效', type: 'info' as const },
}

/** The override form (覆盖): ends the open-ended value in force and starts the new one. */
export function overrideFields(parameter?: Row | null): FormField[] {
  return [
    ...(parameter ? [] : [{ prop: 'parameter', label: '参数', type: 'remote' as const, remote: '/codes/parameters' as const, required: true }]),
    { prop: 'value', label: '新值', required: true, wide: true },
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', help: '为空表示全平台' },
    { prop: 'effective_from', label: '生效时间', type: 'datetime', help: '为空表示立即生效' },
    { prop: 'note', label: '说明', wide: true, maxlength: 200 },
  ]
}

/**
 * 参数配置: values with 生效/失效时间, platform-wide or per institution. With a parameter: its
 * values (drawer of 参数限定配置); without: all values with a parameter filter.
 */
export function valueSchema(parameter?: Row | null): ResourceSchema {
  const id = parameter?.id
  return {
    title: '参数值',
    api: '/codes/parameter-values',
    perm: 'codes.parameter_value',
    keyword: id ? false : '参数编码、名称、值或说明',
    ordering: '-effective_from',
    fixedParams: id ? { parameter: id } : undefined,
    createExtra: id ? { parameter: id } : undefined,
    actions: { import: false },
    search: [
      ...(id ? [] : [{ prop: 'parameter', label: '参数', type: 'remote' as const, remote: '/codes/parameters' as const }]),
      { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
      { prop: 'platform', label: '仅全平台', type: 'bool', options: [{ value: true, label: '是' }] },
    ],
    columns: [
      ...(id
        ? []
        : [
            { prop: 'parameter_code', label: '参数编码', minWidth: 180 },
            { prop: 'parameter_name', label: '参数名称', minWidth: 140 },
          ]),
      { prop: 'value', label: '参数值', minWidth: 140 },
      { prop: 'institution_name', label: '适用范围', minWidth: 150, formatter: (row) => String(row.institution_name || '全平台') },
      { prop: 'effective_from', label: '生效时间', type: 'datetime', width: 170, sortable: true },
      { prop: 'expires_at', label: '失效时间', width: 170, sortable: true, formatter: (row) => (row.expires_at ? formatDateTime(row.expires_at) : '长期有效') },
      { prop: 'status', label: '状态', type: 'tag', width: 90, tags: STATUS_TAGS },
      { prop: 'note', label: '说明', minWidth: 140 },
      { prop: 'value_type', label: '参数类型', detailOnly: true },
      CREATED_AT,
      UPDATED_AT,
    ],
    form: [
      ...(id ? [] : [{ prop: 'parameter', label: '参数', type: 'remote' as const, remote: '/codes/parameters' as const, labelProp: 'parameter_name', required: true, readonlyOnEdit: true }]),
      { prop: 'value', label: '参数值', required: true, wide: true },
      { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', help: '为空表示全平台' },
      { prop: 'effective_from', label: '生效时间', type: 'datetime', required: true, default: () => new Date().toISOString() },
      { prop: 'expires_at', label: '失效时间', type: 'datetime', help: '为空表示长期有效' },
      { prop: 'note', label: '说明', wide: true, maxlength: 200 },
    ],
  }
}

export const schema = valueSchema()
