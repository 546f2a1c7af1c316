/**
 * The declarations a resource page is made of (`views/<group>/<entity>/data.ts`): the endpoint, the
 * permission base, the search form, the table columns and the edit form.
 */
import type { ListPath } from '@/api/openapi'
import type { ResourceOperation } from '@/api/resource'
import type { Params, Row } from '@/api/types'

export interface Option {
  label: string
  value: string | number | boolean
}

export type FieldType =
  | 'text'
  | 'password'
  | 'textarea'
  | 'number'
  | 'select'
  | 'multiselect'
  | 'remote'
  | 'remote-multi'
  | 'date'
  | 'datetime'
  | 'switch'
  | 'custom'

export type Model = Record<string, unknown>

export interface FormField {
  prop: string
  label: string
  type?: FieldType
  required?: boolean
  placeholder?: string
  /** Help text under the field. */
  help?: string
  default?: unknown
  /** select / multiselect */
  options?: Option[]
  /** remote / remote-multi: API path answering `?brief=1`, e.g. `/org/institutions`. */
  remote?: ListPath
  /** Extra filters of the remote picker, may depend on the other form values. */
  remoteParams?: Params | ((model: Model) => Params)
  /** Row field carrying the label of the current value (e.g. `institution_name`) for edit forms. */
  labelProp?: string
  /** Full-width field (textarea and custom are full width already). */
  wide?: boolean
  min?: number
  max?: number
  maxlength?: number
  /** Shown and sent only when creating (e.g. the initial password). */
  createOnly?: boolean
  /** Shown but not editable when editing (e.g. a code that is the natural key). */
  readonlyOnEdit?: boolean
  /** Masked by the server (ID number, phone…): starts empty when editing, sent only if filled. */
  sensitive?: boolean
  /** Hide the field depending on the other values. */
  hidden?: (model: Model) => boolean
  /** Convert the record value for the form (e.g. a list to lines of text) … */
  toForm?: (value: unknown) => unknown
  /** … and back for the request. */
  fromForm?: (value: unknown) => unknown
  /** Extra validation on the client; return an error message or ''. */
  validate?: (value: unknown, model: Model) => string
}

export type SearchType = 'text' | 'select' | 'remote' | 'date' | 'daterange' | 'datetimerange' | 'bool'

export interface SearchField {
  prop: string
  label: string
  type?: SearchType
  options?: Option[]
  remote?: ListPath
  remoteParams?: Params
  placeholder?: string
  /** daterange / datetimerange: the two query parameters, e.g. ['start', 'end']. */
  rangeProps?: [string, string]
  default?: unknown
}

export type ColumnType = 'text' | 'bool' | 'date' | 'datetime' | 'tag' | 'list'

export interface Column {
  prop: string
  label: string
  type?: ColumnType
  width?: number | string
  minWidth?: number | string
  /** true: order by `prop`; a string: the ordering field (e.g. `type` for the `type_display` column). */
  sortable?: boolean | string
  fixed?: 'left' | 'right'
  align?: 'left' | 'center' | 'right'
  /** tag columns: value → {label, type} */
  tags?: Record<string, { label?: string; type?: 'primary' | 'success' | 'warning' | 'danger' | 'info' }>
  formatter?: (row: Row) => string
  /** Not shown in the table (only in the detail drawer). */
  detailOnly?: boolean
  /** Not shown in the detail drawer. */
  tableOnly?: boolean
}

export interface ResourceActions {
  view?: boolean
  create?: boolean
  edit?: boolean
  delete?: boolean
  export?: boolean
  import?: boolean
}

export interface ResourceSchema {
  /** Chinese name of one record, e.g. 成员机构. */
  title: string
  /** API path below /api/v1, e.g. `/org/institutions`. */
  api: ListPath
  /** Permission code base, e.g. `org.institution` (`.view/.add/.change/.delete/.export/.import`). */
  perm: string
  /** The user's own records (inbox, subscriptions…): every signed-in user may use the buttons the
   *  schema has; the server limits the rows to the user's own. */
  personal?: boolean
  /** A free-text `search` box (server `search_fields`); false hides it. */
  keyword?: boolean | string
  search?: SearchField[]
  columns: Column[]
  form?: FormField[]
  /** Default `ordering` (e.g. `-created_at`). */
  ordering?: string
  /** Filters always sent (e.g. `log_type=business`). */
  fixedParams?: Params
  /** Values always sent when creating (e.g. the dictionary of a new entry). */
  createExtra?: Params
  /** Which built-in buttons exist at all (permissions decide the rest). Default: all true. */
  actions?: ResourceActions
  /** Extra sentence of the delete confirmation (e.g. 删除后可在回收站还原). */
  deleteHint?: string
  /** Label of a row in confirm messages. */
  rowLabel?: (row: Row) => string
  /** Form dialog width. */
  formWidth?: string
  pageSize?: number
}

/**
 * Which built-in buttons a page of this schema has at all, before permissions: 新增/编辑 need a form,
 * every one can be switched off in `actions`. The page shows a button when the user also holds the
 * permission; the contract test checks that every endpoint these buttons call exists.
 */
export function schemaButtons(schema: Pick<ResourceSchema, 'actions' | 'form'>): Required<ResourceActions> {
  const on = (key: keyof ResourceActions) => schema.actions?.[key] !== false
  const hasForm = !!schema.form?.length
  return {
    view: on('view'),
    create: on('create') && hasForm,
    edit: on('edit') && hasForm,
    delete: on('delete'),
    export: on('export'),
    import: on('import'),
  }
}

/** The resource operations a page of this schema may call (列表 always; the rest by its buttons). */
export function schemaOperations(schema: Pick<ResourceSchema, 'actions' | 'form'>): ResourceOperation[] {
  const b = schemaButtons(schema)
  const ops: ResourceOperation[] = ['list']
  if (b.create) ops.push('create')
  if (b.edit) ops.push('retrieve', 'update') // the edit form loads the full record first
  if (b.delete) ops.push('remove')
  if (b.export) ops.push('export')
  if (b.import) ops.push('import', 'importTemplate')
  return ops
}

export function fieldType(field: { type?: string }): string {
  return field.type ?? 'text'
}

/** The permission code of an action on a resource. */
export function permOf(schema: Pick<ResourceSchema, 'perm'>, action: 'view' | 'add' | 'change' | 'delete' | 'export' | 'import' | string): string {
  return `${schema.perm}.${action}`
}

/** Options helper: `[['lead_hospital', '牵头医院'], ...]` → Option[]. */
export function options(pairs: [string | number | boolean, string][]): Option[] {
  return pairs.map(([value, label]) => ({ value, label }))
}

export function optionLabel(opts: Option[] | undefined, value: unknown): string {
  return opts?.find((o) => o.value === value)?.label ?? (value == null ? '' : String(value))
}

export const YES_NO: Option[] = [
  { value: true, label: '是' },
  { value: false, label: '否' },
]

export const ACTIVE_OPTIONS: Option[] = [
  { value: true, label: '启用' },
  { value: false, label: '停用' },
]
