/** 居民档案 (platform/registry): residents, chronic diseases, the audited reveal. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type Resident = Schemas['Resident']
export type ChronicDisease = Schemas['ChronicDisease']
export type Candidate = Schemas['Candidate']
export type Merge = Schemas['Merge']
/** 显示完整: the unmasked ID number, phone and address (the server writes an audit row). */
export type RevealedResident = Schemas['Reveal']

export const registryEndpoints = {
  reveal: endpoint('post', '/registry/residents/{id}/reveal'),
  link: endpoint('post', '/registry/review-queue/{id}/link'),
  reject: endpoint('post', '/registry/review-queue/{id}/reject'),
  reverse: endpoint('post', '/registry/merges/{id}/reverse'),
}

export const registryApi = {
  residents: resource<Resident>('/registry/residents'),
  chronicDiseases: resource<ChronicDisease>('/registry/chronic-diseases'),
  reveal: (id: Id) => call(registryEndpoints.reveal, { path: { id } }),
  reviewQueue: resource<Candidate>('/registry/review-queue'),
  merges: resource<Merge>('/registry/merges'),
  /** 主索引审核：accept the candidate (link the registration to that resident) or reject it. */
  link: (candidateId: Id) => call(registryEndpoints.link, { path: { id: candidateId } }),
  reject: (candidateId: Id) => call(registryEndpoints.reject, { path: { id: candidateId } }),
  reverse: (mergeId: Id) => call(registryEndpoints.reverse, { path: { id: mergeId } }),
}
