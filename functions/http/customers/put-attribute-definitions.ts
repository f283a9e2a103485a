import { appDeps } from '#shared/deps';
import { putAttributeDefinitions } from '#shared/domain/settings/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('putAttributeDefinitions', async ({ body }) => ({
  body: await putAttributeDefinitions(appDeps(), body),
}));
