/** 审计 (core/audit): 审计日志 and 登录日志 share one row type; 校验 recomputes the SM3 chain. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'

export type AuditLog = Schemas['AuditLog']
export type AuditVerify = Schemas['AuditVerify']

export const auditEndpoints = {
  verifyLogs: endpoint('post', '/audit/logs/verify'),
}

export const auditApi = {
  logs: resource<AuditLog>('/audit/logs'),
  loginLogs: resource<AuditLog>('/audit/login-logs'),
  verifyLogs: () => call(auditEndpoints.verifyLogs),
}
