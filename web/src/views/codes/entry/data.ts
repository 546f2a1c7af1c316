import type { FormField, ResourceSchema } from '@/components/schema'
import type { Row } from '@/api/types'

const ENABLED_TAGS = { true: { label: '启用', type: 'success' as const }, false: { label: '停用', type: 'info' as const } }

/**
 * 字典项. With a dictionary: the entries of that dictionary (drawer of 字典配置); without: all
 * entries with a dictionary filter (the 字典项 menu).
 */
export function entrySchema(dictionary?: Row | null): ResourceSchema {
  const id = dictionary?.id
  const treeLevel = dictionary ? Number(dictionary.tree_level ?? 1) : 9
  const dictionaryField: FormField[] = id
    ? []
    : [{ prop: 'dictionary', label: '所属字典', type: 'remote', remote: '/codes/dictionaries', labelProp: 'dictionary_name', required: true, readonlyOnEdit: true }]
  return {
    title: '字典项',
    api: '/codes/entries',
    perm: 'codes.entry',
    keyword: '编码、名称或说明',
    ordering: 'sort',
    fixedParams: id ? { dictionary: id } : undefined,
    createExtra: id ? { dictionary: id } : undefined,
    pageSize: id ? 50 : 20,
    search: [
      ...(id ? [] : [{ prop: 'dictionary', label: '所属字典', type: 'remote' as const, remote: '/codes/dictionaries' as const }]),
      { prop: 'is_enabled', label: '状态', type: 'select', options: [{ value: true, label: '启用' }, { value: false, label: '停用' }] },
      ...(treeLevel > 1 ? [{ prop: 'root', label: '仅顶级', type: 'bool' as const, options: [{ value: true, label: '是' }] }] : []),
    ],
    columns: [
      ...(id ? [] : [{ prop: 'dictionary_name', label: '所属字典', minWidth: 140 }]),
      { prop: 'code', label: '编码', width: 120, sortable: true },
      { prop: 'name', label: '名称', minWidth: 160, sortable: true },
      ...(treeLevel > 1 ? [{ prop: 'parent_name', label: '上级', width: 130 }] : []),
      { prop: 'sort', label: '排序', width: 80, sortable: true },
      { prop: 'is_enabled', label: '状态', type: 'bool', width: 80, tags: ENABLED_TAGS },
      { prop: 'description', label: '说明', minWidth: 160 },
      { prop: 'source', label: '来源', detailOnly: true },
      { prop: 'extra', label: '扩展属性', detailOnly: true, formatter: (row) => (row.extra && Object.keys(row.extra).length ? JSON.stringify(row.extra) : '') },
    ],
    form: [
      ...dictionaryField,
      { prop: 'code', label: '字典项编码', required: true, maxlength: 50 },
      { prop: 'name', label: '字典项名称', required: true, maxlength: 200 },
      {
        prop: 'parent',
        label: '上级字典项',
        type: 'remote',
        remote: '/codes/entries',
        remoteParams: (m) => ({ dictionary: id ?? m.dictionary }),
        labelProp: 'parent_name',
        hidden: () => treeLevel <= 1,
        help: id ? `该字典最多 ${treeLevel} 级` : undefined,
      },
      { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
      { prop: 'is_enabled', label: '启用', type: 'switch', default: true },
      { prop: 'description', label: '说明', wide: true, maxlength: 500 },
      { prop: 'source', label: '来源', wide: true, maxlength: 500 },
    ],
  }
}

export const schema = entrySchema()
