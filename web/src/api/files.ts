/** 附件 (platform/files): the attachments of one record; upload, download, preview. */
import { call, download, get, post } from './http'
import { endpoint, fillPath, type Schemas } from './openapi'
import { cleanParams } from './resource'
import type { Id, Page } from './types'

export type Attachment = Schemas['Attachment']

export const filesEndpoints = {
  list: endpoint('get', '/files/attachments'),
  upload: endpoint('post', '/files/attachments'),
  remove: endpoint('delete', '/files/attachments/{id}'),
  download: endpoint('get', '/files/attachments/{id}/download'),
  preview: endpoint('get', '/files/attachments/{id}/preview'),
}
const ep = filesEndpoints

export interface Owner {
  owner_type: string
  owner_id: string | number
}

export const filesApi = {
  list: (owner: Owner, params: Record<string, unknown> = {}) =>
    call(ep.list, { config: { params: cleanParams({ page_size: 100, ...params, ...owner }) } }) as Promise<Page<Attachment>>,
  upload: async (owner: Owner, file: File, category: string, description = '', onProgress?: (percent: number) => void) => {
    const form = new FormData()
    form.append('owner_type', owner.owner_type)
    form.append('owner_id', String(owner.owner_id))
    form.append('category', category)
    form.append('description', description)
    form.append('file', file, file.name)
    return post<Attachment>(ep.upload.path, form, {
      silent: true,
      onUploadProgress: (e) => onProgress?.(e.total ? Math.round((e.loaded / e.total) * 100) : 0),
    })
  },
  remove: (id: Id) => call(ep.remove, { path: { id } }),
  /** The preview (an image, or a PDF rendering) as a Blob for an object URL. */
  previewBlob: (id: Id): Promise<Blob> => get<Blob>(fillPath(ep.preview.path, { id }), { responseType: 'blob', headers: { Accept: '*/*' } }),
  /** Save the original file under its name (Content-Disposition). */
  download: (id: Id, fallback = '附件'): Promise<string> => download(fillPath(ep.download.path, { id }), {}, fallback),
}
