/** 打印 (core/documents): PDFs the server renders, fetched as a Blob for the print preview. */
import { get } from './http'
import { endpoint, fillPath, type Endpoint, type PathParams } from './openapi'

export const documentEndpoints = {
  /** 机构花名册 (platform/org roster). */
  roster: endpoint('get', '/org/institutions/{institution_id}/roster.pdf'),
}

/** GET a declared PDF endpoint and answer the document as a Blob. */
export async function fetchPdf<P extends string>(ep: Endpoint<'get', P>, params: Record<PathParams<P>, string | number>): Promise<Blob> {
  return get<Blob>(fillPath(ep.path, params), { responseType: 'blob', headers: { Accept: 'application/pdf' } })
}
