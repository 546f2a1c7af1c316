/** 组织机构 (platform/org): row types from the OpenAPI document and the resource clients. */
import type { Schemas } from './openapi'
import { resource } from './resource'

export type Community = Schemas['Community']
export type Institution = Schemas['Institution']
export type Department = Schemas['Department']
export type Staff = Schemas['Staff']
export type Post = Schemas['Post']
export type Title = Schemas['Title']
export type Bed = Schemas['Bed']
export type Equipment = Schemas['Equipment']
export type FamilyDoctorTeam = Schemas['FamilyDoctorTeam']

export const orgApi = {
  communities: resource<Community>('/org/communities'),
  institutions: resource<Institution>('/org/institutions'),
  departments: resource<Department>('/org/departments'),
  staff: resource<Staff>('/org/staff'),
  posts: resource<Post>('/org/posts'),
  titles: resource<Title>('/org/titles'),
  beds: resource<Bed>('/org/beds'),
  equipment: resource<Equipment>('/org/equipment'),
  teams: resource<FamilyDoctorTeam>('/org/doctor-teams'),
}
