/** A client for one generic resource endpoint (list / brief / detail / CRUD / Excel). */
import { del, download, get, http, patch, post } from './http'
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

export function resource<T extends Row = Row>(path: string) {
  const one = (id: Id | string) => `${path}/${id}`
  return {
    path,
    list: (params: Params = {}) => get<Page<T>>(path, { params: cleanParams(params) }),
    /** Picker items; some small reference lists are not paginated and answer a plain array. */
    brief: async (params: Params = {}): Promise<Brief[]> => {
      const data = await get<Page<Brief> | Brief[]>(path, { params: cleanParams({ page_size: 100, ...params, brief: 1 }) })
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
    action: <R = unknown>(id: Id | string, name: string, data?: unknown) => post<R>(`${one(id)}/${name}`, data ?? {}),
  }
}

export type ResourceClient<T extends Row = Row> = ReturnType<typeof resource<T>>
