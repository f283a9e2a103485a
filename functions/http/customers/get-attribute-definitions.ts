import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { getAttributeDefinitions } from '#shared/domain/settings/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getAttributeDefinitions'), async () => ({
  body: await getAttributeDefinitions(appDeps()),
}));
