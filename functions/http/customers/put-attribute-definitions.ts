import { customerRoute } from '#shared/capabilities/customers/routes';
import { settingsDeps } from '#shared/deps';
import { putAttributeDefinitions } from '#shared/domain/settings/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  customerRoute('putAttributeDefinitions'),
  async ({ body, expectedVersion }) => ({
    body: await putAttributeDefinitions(settingsDeps(), body, expectedVersion),
  }),
);
