import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { getTimelineEntry } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getTimelineEntry'), async ({ params }) => ({
  body: await getTimelineEntry(appDeps(), params.id, params.entryId),
}));
