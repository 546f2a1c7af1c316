/** 接口客户端 (integration.client): OAuth2 client-credential accounts of hospital systems. */
import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '接口客户端',
  api: '/integration/clients',
  perm: 'integration.client',
  keyword: '编码、名称或 client_id',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'enabled', label: '启用', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'code', label: '编码', width: 140, sortable: true },
    { prop: 'name', label: '名称', minWidth: 160, sortable: true },
    { prop: 'institution_name', label: '所属机构', minWidth: 160 },
    { prop: 'client_id', label: 'client_id', width: 220 },
    { prop: 'scopes', label: '授权范围', type: 'list', minWidth: 200 },
    { prop: 'enabled', label: '启用', type: 'bool', width: 70 },
    { prop: 'secret_rotated_at', label: '密钥更新时间', type: 'datetime', width: 165 },
    { prop: 'description', label: '说明', detailOnly: true },
    { prop: 'disabled_at', label: '停用时间', type: 'datetime', detailOnly: true },
    { prop: 'created_at', label: '创建时间', type: 'datetime', detailOnly: true },
  ],
}
