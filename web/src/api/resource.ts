/** A client for one generic resource endpoint (list / brief / detail / CRUD / Excel). */
import type { AxiosRequestConfig } from 'axios'
import { del, download, get, http, patch, post } from './http'
import type { HttpMethod, ListPath } from './openapi'
import type { Brief, Id, Page, Params, Row } from './types'

/** Drop empty filter values so the query string only carries what the user filled in. */
export function cleanParams(params: Params): Params {
  const out: Params = {}
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value) && value.length === 0) continue
    out[key] = Array.isArray(value) ? value.join(',') : value
  }
  return out
}

export interface ImportResult {
  created: number
}

/** What a resource client does, and the request each operation sends (for the contract test). */
export type ResourceOperation = 'list' | 'retrieve' | 'create' | 'update' | 'remove' | 'export' | 'import' | 'importTemplate'

export const RESOURCE_OPERATIONS: Record<ResourceOperation, { method: HttpMethod; suffix: string }> = {
  list: { method: 'get', suffix: '' },
  retrieve: { method: 'get', suffix: '/{id}' },
  create: { method: 'post', suffix: '' },
  update: { method: 'patch', suffix: '/{id}' },
  remove: { method: 'delete', suffix: '/{id}' },
  export: { method: 'get', suffix: '' }, // ?format=xlsx
  import: { method: 'post', suffix: '/import' },
  importTemplate: { method: 'get', suffix: '/import-template' },
}

/** The method and path template of `operation` on the collection `path`. */
export function resourceEndpoint(path: string, operation: ResourceOperation): { method: HttpMethod; path: string } {
  const { method, suffix } = RESOURCE_OPERATIONS[operation]
  return { method, path: `${path}${suffix}` }
}

/**
 * A client for the collection `path` (a GET path of the OpenAPI document: a typo is a type error).
 * `T` is the row type, normally `Schemas['<Serializer>']` (see `src/api/<app>.ts`).
 */
export function resource<T extends object = Row>(path: ListPath) {
  const one = (id: Id | string) => `${path}/${id}`
  return {
    path,
    list: (params: Params = {}) => get<Page<T>>(path, { params: cleanParams(params) }),
    /** Picker items; some small reference lists are not paginated and answer a plain array. */
    brief: async (params: Params = {}, config: AxiosRequestConfig = {}): Promise<Brief[]> => {
      const data = await get<Page<Brief> | Brief[]>(path, { ...config, params: cleanParams({ page_size: 100, ...params, brief: 1 }) })
      return Array.isArray(data) ? data : data.results
    },
    retrieve: (id: Id | string) => get<T>(one(id)),
    create: (data: Partial<T> | Params) => post<T>(path, data),
    update: (id: Id | string, data: Partial<T> | Params) => patch<T>(one(id), data),
    remove: (id: Id | string) => del(one(id)),
    exportXlsx: (params: Params = {}, title = '导出') =>
      download(path, cleanParams({ ...params, page: undefined, page_size: undefined, format: 'xlsx' }), `${title}.xlsx`),
    importTemplate: (title = '导入模板') => download(`${path}/import-template`, {}, `${title}导入模板.xlsx`),
    importXlsx: async (file: File | Blob, filename = 'import.xlsx') => {
      const form = new FormData()
      form.append('file', file, file instanceof File ? file.name : filename)
      return (await http.post<ImportResult>(`${path}/import`, form, { silent: true })).data
    },
  }
}

export type ResourceClient<T extends object = Row> = ReturnType<typeof resource<T>>

export function isResourceClient(value: unknown): value is ResourceClient {
  return !!value && typeof value === 'object' && typeof (value as ResourceClient).path === 'string' && typeof (value as ResourceClient).list === 'function'
}
