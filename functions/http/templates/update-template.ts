import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateDeps } from '#shared/deps';
import { updateTemplate } from '#shared/domain/templates/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  templateRoute('updateTemplate'),
  async ({ params, body, expectedVersion }) => ({
    body: await updateTemplate(templateDeps(), params.id, body, expectedVersion),
  }),
);
