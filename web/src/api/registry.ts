/** 居民档案 (platform/registry): residents, chronic diseases, the audited reveal. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type Resident = Schemas['Resident']
export type ChronicDisease = Schemas['ChronicDisease']
/** 显示完整: the unmasked ID number, phone and address (the server writes an audit row). */
export type RevealedResident = Schemas['Reveal']

export const registryEndpoints = {
  reveal: endpoint('post', '/registry/residents/{id}/reveal'),
}

export const registryApi = {
  residents: resource<Resident>('/registry/residents'),
  chronicDiseases: resource<ChronicDisease>('/registry/chronic-diseases'),
  reveal: (id: Id) => call(registryEndpoints.reveal, { path: { id } }),
}
