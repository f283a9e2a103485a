import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { appendTimelineEntry } from '#shared/domain/customers/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(
  customerRoute('appendTimelineEntry'),
  async ({ params, body, caller }) => {
    const entry = await appendTimelineEntry(customerDeps(), caller, params.id, body);
    return { body: entry, headers: { location: `/customers/${params.id}/timeline/${entry.id}` } };
  },
);
