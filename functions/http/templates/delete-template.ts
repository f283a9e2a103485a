import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateDeps } from '#shared/deps';
import { deleteTemplate } from '#shared/domain/templates/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(templateRoute('deleteTemplate'), async ({ params, expectedVersion }) => {
  await deleteTemplate(templateDeps(), params.id, expectedVersion);
  return { status: 204 };
});
