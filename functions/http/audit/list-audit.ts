import { auditRoute } from '#shared/capabilities/audit/routes';
import { auditStore } from '#shared/deps';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(auditRoute('listAudit'), async ({ query }) => ({
  body: await auditStore().list(query),
}));
