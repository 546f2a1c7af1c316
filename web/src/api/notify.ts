/** 消息中心 (platform/notify): message types, inbox/outbox, subscriptions, announcements, contacts. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type MessageTypeGroup = Schemas['MessageTypeGroup']
export type MessageType = Schemas['MessageType']
export type InboxItem = Schemas['InboxItem']
export type Message = Schemas['Message']
export type Subscription = Schemas['Subscription']
export type Announcement = Schemas['Announcement']
export type VisibleAnnouncement = Schemas['VisibleAnnouncement']
export type Contact = Schemas['Contact']
export type ContactGroup = Schemas['ContactGroup']

export const notifyEndpoints = {
  read: endpoint('post', '/notify/inbox/{id}/read'),
  handle: endpoint('post', '/notify/inbox/{id}/handle'),
  readAll: endpoint('post', '/notify/inbox/read-all'),
  removeInbox: endpoint('delete', '/notify/inbox/{id}'),
  unreadCount: endpoint('get', '/notify/unread-count'),
  send: endpoint('post', '/notify/outbox'),
  visibleAnnouncements: endpoint('get', '/notify/announcements/visible'),
  readAnnouncement: endpoint('post', '/notify/announcements/{id}/read'),
  receipts: endpoint('get', '/notify/announcements/{id}/receipts'),
}
const ep = notifyEndpoints

export const notifyApi = {
  typeGroups: resource<MessageTypeGroup>('/notify/message-type-groups'),
  types: resource<MessageType>('/notify/message-types'),
  inbox: resource<InboxItem>('/notify/inbox'),
  outbox: resource<Message>('/notify/outbox'),
  messages: resource<Message>('/notify/messages'),
  subscriptions: resource<Subscription>('/notify/subscriptions'),
  announcements: resource<Announcement>('/notify/announcements'),
  contacts: resource<Contact>('/notify/contacts'),
  contactGroups: resource<ContactGroup>('/notify/contact-groups'),
  read: (id: Id) => call(ep.read, { path: { id } }),
  handle: (id: Id) => call(ep.handle, { path: { id } }),
  readAll: () => call(ep.readAll),
  unreadCount: () => call(ep.unreadCount, { config: { silent: true } }),
  send: (type: Id, recipients: Id[], context: Record<string, unknown> = {}) => call(ep.send, { body: { type, recipients, context } }),
  visibleAnnouncements: (params: Record<string, unknown> = {}) => call(ep.visibleAnnouncements, { config: { params } }),
  readAnnouncement: (id: Id) => call(ep.readAnnouncement, { path: { id } }),
  receipts: (id: Id, page = 1) => call(ep.receipts, { path: { id }, config: { params: { page, page_size: 50 } } }),
}
