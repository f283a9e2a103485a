import { systemRoute } from '#shared/capabilities/system/routes';
import { requireConfig } from '#shared/config';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(systemRoute('health'), () => ({
  body: { status: 'ok', stage: requireConfig(['stage']).stage },
}));
