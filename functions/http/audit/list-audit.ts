import { auditRoute } from '#shared/capabilities/audit/routes';
import { appDeps } from '#shared/deps';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(auditRoute('listAudit'), async ({ query }) => ({
  body: await appDeps().audit.list(query),
}));
