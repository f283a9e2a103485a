import { customerRoute } from '#shared/capabilities/customers/routes';
import { settingsDeps } from '#shared/deps';
import { getAttributeDefinitions } from '#shared/domain/settings/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getAttributeDefinitions'), async () => ({
  body: await getAttributeDefinitions(settingsDeps()),
}));
