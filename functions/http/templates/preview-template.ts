import { templateRoute } from '#shared/capabilities/templates/routes';
import { templatePreviewDeps } from '#shared/deps';
import { previewTemplate } from '#shared/domain/templates/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(
  templateRoute('previewTemplate'),
  async ({ params, body, caller }) => ({
    body: await previewTemplate(templatePreviewDeps(), caller, params.id, body),
  }),
);
