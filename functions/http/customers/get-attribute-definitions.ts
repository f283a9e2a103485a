import { appDeps } from '#shared/deps';
import { getAttributeDefinitions } from '#shared/domain/settings/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('getAttributeDefinitions', async () => ({
  body: await getAttributeDefinitions(appDeps()),
}));
