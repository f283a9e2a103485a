/**
 * Route manifest of the audit capability: the audit log (admin). The area function
 * (`functions/http/audit/index.ts`) imports this file and nothing of the other capabilities.
 */
import { AuditPage, AuditQuery } from '#shared/domain/audit/schemas';
import { route, routeLookup } from '#shared/http/route';

export const auditRoutes = [
  route({
    id: 'listAudit',
    method: 'GET',
    path: '/audit',
    area: 'audit',
    scope: 'audit.read',
    summary:
      'Audit log, newest first: one entity’s trail (`?entityType=&entityId=`) or one actor’s writes (`?actor=`)',
    tag: 'Audit',
    request: { query: AuditQuery },
    response: { status: 200, schema: AuditPage },
  }),
] as const;

export const auditRoute = routeLookup(auditRoutes);
