import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { updateTimelineEntry } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  customerRoute('updateTimelineEntry'),
  async ({ params, body, caller, expectedVersion }) => ({
    body: await updateTimelineEntry(customerDeps(), caller, params.id, params.entryId, body, expectedVersion),
  }),
);
