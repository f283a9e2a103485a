import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { getTimelineEntry } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getTimelineEntry'), async ({ params }) => ({
  body: await getTimelineEntry(customerDeps(), params.id, params.entryId),
}));
