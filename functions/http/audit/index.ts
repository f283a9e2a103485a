/** The audit area function: the audit log (admin only; docs/adr/0009-audit-log.md). */
import { auditRoutes } from '#shared/capabilities/audit/routes';
import { router } from '#shared/http/handler';
import { handler as listAudit } from './list-audit.ts';

export const handler = router('audit', auditRoutes, { listAudit });
